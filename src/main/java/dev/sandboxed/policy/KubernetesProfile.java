package dev.sandboxed.policy;

import dev.sandboxed.json.Json;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A policy as a Security Profiles Operator {@code SeccompProfile} ({@code security-profiles-operator.x-k8s.io/v1beta1}),
 * so that the profile a build verified can be applied to a cluster unchanged. The YAML is written by hand: the
 * subset needed is small, and the output must be byte-identical for identical policies.
 *
 * <p>The operator's {@code spec} is the OCI schema without Docker's extensions, which decides what can be
 * exported: there is no {@code defaultErrnoRet}, so an {@code errno} default must be EPERM (what runc then uses);
 * argument values are at most 2^63-1; and there is no {@code includes}, so every architecture gets the rules of
 * all of them (where it knows the syscall). That union typically adds a name's equivalent — {@code ppoll} on
 * x86_64 because aarch64 has no {@code poll} — and each addition is reported as a warning. Reasons become YAML
 * comments above their entry. Anything else is refused with a message naming the rule; {@link OciSyscalls}
 * lists the restrictions shared with Docker profiles.
 */
public final class KubernetesProfile {

    public static final String API_VERSION = "security-profiles-operator.x-k8s.io/v1beta1";

    /** Kubernetes object names: an RFC 1123 subdomain. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final String FORMAT = "a Kubernetes SeccompProfile";
    private static final int EPERM = 1;

    private KubernetesProfile() {
    }

    /**
     * The YAML, and what the export had to add.
     *
     * @param warnings one per architecture that received rules of another, naming them
     */
    public record Export(String yaml, List<String> warnings) {

        public Export {
            Objects.requireNonNull(yaml, "yaml");
            warnings = List.copyOf(warnings);
        }
    }

    /** The profile as YAML; {@code name} becomes {@code metadata.name}. */
    public static Export write(Policy policy, String name) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(name, "name");
        if (name.length() > 253 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid Kubernetes object name: use lower-case "
                    + "letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters");
        }
        Action defaultAction = policy.defaultAction();
        if (defaultAction.kind() == Action.Kind.ERRNO && defaultAction.data() != EPERM
                || defaultAction.kind() == Action.Kind.TRACE && defaultAction.data() != EPERM) {
            throw new InvalidPolicyException("cannot export the default action " + defaultAction + " to " + FORMAT
                    + ": it has no defaultErrnoRet, so the default returns EPERM; use errno(EPERM) as the default");
        }
        StringBuilder out = new StringBuilder();
        out.append("apiVersion: ").append(API_VERSION).append('\n');
        out.append("kind: SeccompProfile\n");
        out.append("metadata:\n");
        out.append("  name: ").append(name).append('\n');
        out.append("spec:\n");
        out.append("  defaultAction: ").append(DockerProfile.dockerAction(defaultAction)).append('\n');
        out.append("  architectures:\n");
        policy.architectures().stream().map(Arch::dockerName).sorted()
                .forEach(arch -> out.append("  - ").append(arch).append('\n'));
        RuntimeOptions options = policy.runtimeOptions();
        if (!options.flags().isEmpty()) {
            out.append("  flags:\n");
            options.flags().forEach(flag -> out.append("  - ").append(flag).append('\n'));
        }
        if (!options.listenerPath().isEmpty()) {
            out.append("  listenerPath: ").append(Json.quote(options.listenerPath())).append('\n');
        }
        if (!options.listenerMetadata().isEmpty()) {
            out.append("  listenerMetadata: ").append(Json.quote(options.listenerMetadata())).append('\n');
        }
        List<String> warnings = new ArrayList<>();
        var entries = OciSyscalls.of(unionOverArchitectures(policy, warnings), FORMAT);
        if (!entries.isEmpty()) {
            out.append("  syscalls:\n");
        }
        for (OciSyscalls.Entry entry : entries) {
            if (!entry.comment().isEmpty()) {
                out.append("  # ").append(entry.comment().replaceAll("\\s+", " ")).append('\n');
            }
            out.append("  - action: ").append(DockerProfile.dockerAction(entry.action())).append('\n');
            Action action = entry.action();
            if (action.kind() == Action.Kind.ERRNO || action.kind() == Action.Kind.TRACE) {
                out.append("    errnoRet: ").append(action.data()).append('\n');
            }
            if (!entry.args().isEmpty()) {
                out.append("    args:\n");
                for (OciSyscalls.Arg arg : entry.args()) {
                    out.append("    - index: ").append(arg.index()).append('\n');
                    out.append("      op: ").append(arg.op().dockerName()).append('\n');
                    out.append("      value: ").append(signedOnly(arg.value(), entry)).append('\n');
                    if (arg.op() == Operator.MASKED_EQ) {
                        out.append("      valueTwo: ").append(signedOnly(arg.valueTwo(), entry)).append('\n');
                    }
                }
            }
            out.append("    names:\n");
            entry.names().forEach(syscall -> out.append("    - ").append(syscall).append('\n'));
        }
        return new Export(out.toString(), warnings);
    }

    private static Policy unionOverArchitectures(Policy policy, List<String> warnings) {
        Map<Arch, List<Rule>> union = new TreeMap<>();
        for (Arch arch : policy.architectures()) {
            List<Rule> rules = new ArrayList<>(policy.rules(arch));
            Set<Rule> added = new TreeSet<>();
            for (Arch other : policy.architectures()) {
                for (Rule rule : policy.rules(other)) {
                    if (other != arch && SyscallTable.of(arch).contains(rule.syscall())
                            && policy.rules(arch, rule.syscall()).stream().noneMatch(own -> sameTest(own, rule))) {
                        added.add(rule);
                    }
                }
            }
            if (!added.isEmpty()) {
                rules.addAll(added);
                warnings.add(arch.id() + " also gets " + added.size() + " rule(s) of other architectures, since "
                        + FORMAT + " has no per-architecture rules: " + added);
            }
            union.put(arch, rules);
        }
        try {
            return new Policy(policy.defaultAction(), new TreeMap<>(union), policy.runtimeOptions());
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException("cannot export to " + FORMAT + ", which has no per-architecture rules: "
                    + e.getMessage());
        }
    }

    private static boolean sameTest(Rule a, Rule b) {
        return a.conditions().equals(b.conditions()) && a.action().equals(b.action());
    }

    private static long signedOnly(long value, OciSyscalls.Entry entry) {
        if (value < 0) {
            throw new InvalidPolicyException("cannot export a condition of " + String.join(", ", entry.names()) + " to "
                    + FORMAT + ": its value 0x" + Long.toHexString(value) + " exceeds the operator's limit of 2^63-1");
        }
        return value;
    }
}
