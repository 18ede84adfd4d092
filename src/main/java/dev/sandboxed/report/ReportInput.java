package dev.sandboxed.report;

import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyDiff;
import dev.sandboxed.policy.Recording;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one report shows. Only the policy is required: {@code profile} without recordings still deserves a
 * readable account of what it allows. Nothing here is read from the clock or the environment, so the same input
 * always gives the same report; a caller that wants a date on it passes one in {@code generatedAt}.
 *
 * @param title the heading, usually the project's name
 * @param policy the policy the report is about
 * @param recording what the application was seen doing; gives the per-component view, counts, paths and addresses
 * @param diffAgainstCommitted how {@code policy} differs from the policy committed in the project
 * @param violations calls the policy refused during verification; empty when the application was not verified,
 *     which the report must not present as "no violations"
 * @param dockerDefault Docker's default profile, to compare against
 * @param warnings messages the build already printed that a reader of the report should also see
 * @param generatedAt free text shown in the footer, for example a timestamp or build number
 */
public record ReportInput(String title, Policy policy, Optional<Recording> recording,
                          Optional<PolicyDiff> diffAgainstCommitted, Optional<List<ReportViolation>> violations,
                          Optional<Policy> dockerDefault, List<String> warnings, Optional<String> generatedAt) {

    public ReportInput {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(diffAgainstCommitted, "diffAgainstCommitted");
        violations = Objects.requireNonNull(violations, "violations").map(List::copyOf);
        Objects.requireNonNull(dockerDefault, "dockerDefault");
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
        Objects.requireNonNull(generatedAt, "generatedAt");
    }

    /** A report of the policy alone; add the rest with the {@code with} methods. */
    public static ReportInput of(String title, Policy policy) {
        return new ReportInput(title, policy, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Optional.empty());
    }

    public ReportInput withRecording(Recording value) {
        return new ReportInput(title, policy, Optional.of(value), diffAgainstCommitted, violations, dockerDefault,
                warnings, generatedAt);
    }

    public ReportInput withDiff(PolicyDiff value) {
        return new ReportInput(title, policy, recording, Optional.of(value), violations, dockerDefault, warnings,
                generatedAt);
    }

    public ReportInput withViolations(List<ReportViolation> value) {
        return new ReportInput(title, policy, recording, diffAgainstCommitted, Optional.of(value), dockerDefault, warnings,
                generatedAt);
    }

    public ReportInput withDockerDefault(Policy value) {
        return new ReportInput(title, policy, recording, diffAgainstCommitted, violations, Optional.of(value),
                warnings, generatedAt);
    }

    public ReportInput withWarnings(List<String> value) {
        return new ReportInput(title, policy, recording, diffAgainstCommitted, violations, dockerDefault, value,
                generatedAt);
    }

    public ReportInput withGeneratedAt(String value) {
        return new ReportInput(title, policy, recording, diffAgainstCommitted, violations, dockerDefault, warnings,
                Optional.of(value));
    }
}
