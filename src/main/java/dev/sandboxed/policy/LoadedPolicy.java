package dev.sandboxed.policy;

import java.util.List;
import java.util.Objects;

/**
 * A policy as read from a file, with what the reader noticed but did not refuse: names translated for another
 * architecture, entries a Docker profile holds for machines this plugin does not target. The build shows the
 * warnings; none of them changes what the policy decides beyond what the message says.
 *
 * @param policy the policy
 * @param format what the file was
 * @param warnings messages prefixed with the file and line they concern, in file order
 */
public record LoadedPolicy(Policy policy, FileFormat format, List<String> warnings) {

    public LoadedPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(format, "format");
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }
}
