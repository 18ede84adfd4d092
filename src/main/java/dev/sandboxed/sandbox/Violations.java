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
 * All violations of one verify run, one entry per distinct call or file access, in a fixed order so that the same
 * run always produces the same report.
 *
 * @param violations system calls, sorted by architecture, syscall, executable and action
 * @param filesystem file accesses outside the filesystem rules, sorted by path
 * @param limits resource limits that stopped the application ({@code pids: ...}), each a sentence
 * @param warnings reasons the lists may be incomplete
 */
public record Violations(List<Violation> violations, List<FilesystemViolation> filesystem, List<String> limits,
                         List<String> warnings) {

    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int AUDIT_ARCH_ARM = 0x40000028;

    public Violations {
        Objects.requireNonNull(violations, "violations");
        violations = violations.stream().sorted(Violation.BY_CALL).toList();
        filesystem = Objects.requireNonNull(filesystem, "filesystem").stream()
                .sorted(FilesystemViolation.BY_ACCESS).toList();
        limits = List.copyOf(Objects.requireNonNull(limits, "limits"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }

    public Violations(List<Violation> violations, List<String> warnings) {
        this(violations, List.of(), List.of(), warnings);
    }

    /** Adds up the counts (and argument values) of the same call from the same program. */
    public static Violations of(Collection<Violation> observed, List<String> warnings) {
        return of(observed, List.of(), List.of(), warnings);
    }

    /** Adds up equal calls and equal file accesses. */
    public static Violations of(Collection<Violation> observed, Collection<FilesystemViolation> files,
                                List<String> limits, List<String> warnings) {
        TreeMap<Violation, Violation> merged = new TreeMap<>(Violation.BY_CALL);
        for (Violation violation : observed) {
            merged.merge(violation, violation, Violation::plus);
        }
        TreeMap<FilesystemViolation, FilesystemViolation> mergedFiles = new TreeMap<>(FilesystemViolation.BY_ACCESS);
        for (FilesystemViolation file : files) {
            mergedFiles.merge(file, file, FilesystemViolation::plus);
        }
        return new Violations(new ArrayList<>(merged.values()), new ArrayList<>(mergedFiles.values()), limits,
                warnings);
    }

    /** The violations the kernel logged for one container. */
    public static Violations fromKernel(KernelEvents events) {
        List<Violation> observed = new ArrayList<>();
        for (SeccompAuditRecord record : events.seccomp()) {
            observed.add(violation(record));
        }
        return of(observed, events.warnings());
    }

    /** True when nothing was refused: no call, no file, no limit. */
    public boolean nothingRefused() {
        return violations.isEmpty() && filesystem.isEmpty() && limits.isEmpty();
    }

    /** The same lists with more warnings. */
    public Violations withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new Violations(violations, filesystem, limits, all);
    }

    static Violation violation(SeccompAuditRecord record) {
        String executable = record.executable().isEmpty() ? record.comm() : record.executable();
        String action = Action.fromSeccompReturn(record.code()).kind().id();
        return new Violation(name(record.auditArch(), record.syscall()), record.syscall(), archName(record.auditArch()),
                executable, action, 1, new TreeMap<>());
    }

    /**
     * A call's name spelled as the recorder spells it, so a report reads the same whichever runtime saw the call:
     * the table's name, {@code x32:NAME} for an x32 number, {@code i386:NR} or {@code arm:NR} for the compat ABI.
     */
    static String name(int auditArch, int number) {
        Optional<Arch> arch = Arch.fromAuditArch(auditArch);
        if (arch.isPresent()) {
            SyscallTable table = SyscallTable.of(arch.get());
            if (arch.get() == Arch.X86_64 && number != -1 && (number & Arch.X32_SYSCALL_BIT) != 0) {
                return "x32:" + table.name(number & ~Arch.X32_SYSCALL_BIT).orElse(Integer.toString(number & ~Arch.X32_SYSCALL_BIT));
            }
            return table.name(number).orElse("unknown");
        }
        if (auditArch == AUDIT_ARCH_I386) {
            return "i386:" + number;
        }
        if (auditArch == AUDIT_ARCH_ARM) {
            return "arm:" + number;
        }
        return "unknown";
    }

    static String archName(int auditArch) {
        Optional<Arch> arch = Arch.fromAuditArch(auditArch);
        if (arch.isPresent()) {
            return arch.get().id();
        }
        if (auditArch == AUDIT_ARCH_I386) {
            return "i386";
        }
        if (auditArch == AUDIT_ARCH_ARM) {
            return "arm";
        }
        return String.format("0x%08x", auditArch);
    }
}
