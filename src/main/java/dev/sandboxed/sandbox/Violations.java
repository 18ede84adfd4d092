package dev.sandboxed.sandbox;

import dev.sandboxed.policy.Action;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All violations of one verify run, one entry per distinct call, in a fixed order so that the same run always
 * produces the same report.
 *
 * @param violations sorted by architecture, syscall, executable and action
 * @param warnings reasons the list may be incomplete
 */
public record Violations(List<Violation> violations, List<String> warnings) {

    public Violations {
        Objects.requireNonNull(violations, "violations");
        violations = violations.stream().sorted(Violation.BY_CALL).toList();
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }

    /** Adds up the counts (and argument values) of the same call from the same program. */
    public static Violations of(Collection<Violation> observed, List<String> warnings) {
        TreeMap<Violation, Violation> merged = new TreeMap<>(Violation.BY_CALL);
        for (Violation violation : observed) {
            merged.merge(violation, violation, Violation::plus);
        }
        return new Violations(new ArrayList<>(merged.values()), warnings);
    }

    /** The violations the kernel logged for one container. */
    public static Violations fromKernel(KernelEvents events) {
        List<Violation> observed = new ArrayList<>();
        for (SeccompAuditRecord record : events.seccomp()) {
            observed.add(violation(record));
        }
        return of(observed, events.warnings());
    }

    static Violation violation(SeccompAuditRecord record) {
        Optional<Arch> arch = Arch.fromAuditArch(record.auditArch());
        String name = arch.flatMap(a -> SyscallTable.of(a).name(record.syscall())).orElse("unknown");
        String archName = arch.map(Arch::id).orElse(String.format("0x%08x", record.auditArch()));
        String executable = record.executable().isEmpty() ? record.comm() : record.executable();
        String action = Action.fromSeccompReturn(record.code()).kind().id();
        return new Violation(name, record.syscall(), archName, executable, action, 1, new TreeMap<>());
    }
}
