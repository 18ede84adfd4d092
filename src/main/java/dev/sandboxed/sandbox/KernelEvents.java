package dev.sandboxed.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * What the kernel logged about one container while it ran.
 *
 * @param available false when the kernel log could not be read at all; {@code warnings} then says why
 * @param seccomp the container's seccomp audit records, in the order the kernel logged them
 * @param pidsLimitReached true when the pids controller refused a fork in the container's cgroup
 * @param warnings reasons the list may be incomplete, each with what to do about it
 */
public record KernelEvents(boolean available, List<SeccompAuditRecord> seccomp, boolean pidsLimitReached,
                           List<String> warnings) {

    public KernelEvents {
        seccomp = List.copyOf(Objects.requireNonNull(seccomp, "seccomp"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }

    public static KernelEvents unavailable(String reason) {
        return new KernelEvents(false, List.of(), false, List.of(reason));
    }
}
