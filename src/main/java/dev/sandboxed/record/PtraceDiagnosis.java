package dev.sandboxed.record;

import dev.sandboxed.linux.LinuxException;
import dev.sandboxed.linux.ProcStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Explains a refused {@code PTRACE_SEIZE} from what the kernel exposes about this process and its host. */
final class PtraceDiagnosis {

    private static final Path YAMA = Path.of("/proc/sys/kernel/yama/ptrace_scope");

    private PtraceDiagnosis() {
    }

    static PtraceNotPermittedException explain(LinuxException failure) {
        List<String> reasons = new ArrayList<>();
        ProcStatus self = ProcStatus.self();
        if (self.seccompMode() != 0) {
            reasons.add("this process runs under seccomp (mode " + self.seccompMode() + ", "
                    + self.seccompFilters() + " filter(s)), which may deny ptrace; a container runtime's default "
                    + "profile does on older versions: run the container with --security-opt seccomp=unconfined or "
                    + "a profile allowing ptrace");
        }
        Optional<Integer> yama = yamaScope();
        yama.ifPresent(scope -> {
            switch (scope) {
                case 1 -> reasons.add("Yama ptrace_scope is 1 (only descendants may be traced; the launcher is our "
                        + "child, so this alone should not block it)");
                case 2 -> reasons.add("Yama ptrace_scope is 2: only processes with CAP_SYS_PTRACE may trace"
                        + (self.hasEffectiveCapability(ProcStatus.CAP_SYS_PTRACE) ? "" : ", and this one lacks it"));
                case 3 -> reasons.add("Yama ptrace_scope is 3: ptrace is disabled on this host until reboot");
                default -> {
                }
            }
        });
        if (!self.hasEffectiveCapability(ProcStatus.CAP_SYS_PTRACE)) {
            reasons.add("this process lacks CAP_SYS_PTRACE (containers drop it by default; add it with "
                    + "--cap-add SYS_PTRACE if tracing stays refused)");
        }
        if (reasons.isEmpty()) {
            reasons.add("no seccomp filter, Yama restriction or missing capability found; an LSM (AppArmor, SELinux) "
                    + "policy may deny ptrace");
        }
        return new PtraceNotPermittedException("ptrace not permitted: " + failure.getMessage() + ". "
                + String.join("; ", reasons) + ".", failure);
    }

    private static Optional<Integer> yamaScope() {
        try {
            return Optional.of(Integer.parseInt(Files.readString(YAMA, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
