package dev.sandboxed.sandbox;

import dev.sandboxed.bpf.Program;
import dev.sandboxed.bpf.Simulator;
import dev.sandboxed.linux.Errno;
import dev.sandboxed.linux.SyscallInfo;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.record.StopObserver;
import dev.sandboxed.record.SyscallStop;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.Constants;
import dev.sandboxed.syscall.SeccompData;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the stops of a {@link ComplainFilter} run into violations. At each stop it runs the enforcing program in
 * the simulator over the call's {@code seccomp_data}: what the kernel would have answered. A call the policy would
 * not let through is a violation, kept with the arguments that matter for it: those with a symbolic meaning
 * ({@code AF_INET}, {@code CLONE_NEWUSER}) and those the policy's rules for the call compare. A call naming files
 * under Landlock is followed to its exit; when it failed with {@code EACCES} (or {@code EXDEV}, Landlock's answer
 * to a rename across rules), each named access the rules do not cover is a filesystem violation. The kernel's
 * refusal is the evidence and the rules only name the culprit, so an access the rules do cover but the kernel
 * refused for another reason (file permissions) is never reported.
 *
 * <p>Used on the tracer thread only; read the results after the run has ended.
 */
final class ComplainObserver implements StopObserver {

    private final Program enforced;
    private final Policy policy;
    private final Arch arch;
    private final Optional<FilesystemRules> landlock;
    private final Constants constants;
    private final List<Violation> violations = new ArrayList<>();
    private final List<FilesystemViolation> files = new ArrayList<>();

    /**
     * @param enforced the program enforce mode would install
     * @param landlock the rules Landlock enforces in this run, if it does
     */
    ComplainObserver(Program enforced, Policy policy, Arch arch, Optional<FilesystemRules> landlock) {
        this.enforced = enforced;
        this.policy = policy;
        this.arch = arch;
        this.landlock = landlock;
        this.constants = Constants.of(arch);
    }

    @Override
    public boolean atSeccompStop(SyscallStop stop) {
        SyscallInfo info = stop.info();
        long[] args = new long[SeccompData.ARGUMENT_COUNT];
        for (int i = 0; i < args.length; i++) {
            args[i] = info.arg(i);
        }
        SeccompData data = new SeccompData((int) info.nr(), info.auditArch(), info.instructionPointer(), args);
        Action action = Simulator.run(enforced, data).action();
        if (!action.permits()) {
            violations.add(violation(stop, data, action));
        }
        if (landlock.isPresent() && ComplainFilter.PATH_SYSCALLS.contains(stop.syscall())) {
            return !stop.paths().isEmpty();
        }
        return false;
    }

    @Override
    public void atSyscallExit(SyscallStop stop, SyscallInfo exit) {
        long errno = -exit.returnValue();
        if (!exit.isError() || (errno != Errno.EACCES && errno != Errno.EXDEV)) {
            return;
        }
        FilesystemRules rules = landlock.orElseThrow();
        stop.paths().forEach((name, accesses) -> {
            for (FileAccess access : accesses) {
                if (!allowed(rules, name, access)) {
                    files.add(new FilesystemViolation(name, access.name().toLowerCase(Locale.ROOT), stop.executable(),
                            1, "landlock", ""));
                }
            }
        });
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    List<FilesystemViolation> files() {
        return List.copyOf(files);
    }

    private Violation violation(SyscallStop stop, SeccompData data, Action action) {
        String name = Violations.name(data.arch(), data.nr());
        SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
        if (data.arch() == arch.auditArch() && (arch != Arch.X86_64 || (data.nr() & Arch.X32_SYSCALL_BIT) == 0)) {
            Set<Integer> compared = compared(name);
            for (int i = 0; i < SeccompData.ARGUMENT_COUNT; i++) {
                long value = data.arg(i);
                if (compared.contains(i) || constants.describe(name, i, value).isPresent()) {
                    values.computeIfAbsent(i, index -> new TreeSet<>()).add(value);
                }
            }
        }
        return new Violation(name, data.nr(), Violations.archName(data.arch()), stop.executable(),
                action.kind().id(), 1, values);
    }

    private Set<Integer> compared(String syscall) {
        Set<Integer> indices = new TreeSet<>();
        for (Rule rule : policy.rules(arch, syscall)) {
            rule.conditions().forEach(condition -> indices.add(condition.index()));
        }
        return indices;
    }

    /** Landlock follows the path as the kernel resolved it; the rules may name either spelling. */
    private static boolean allowed(FilesystemRules rules, String name, FileAccess access) {
        try {
            Path path = Path.of(name);
            if (rules.allows(path, access)) {
                return true;
            }
            Path parent = path.getParent();
            Path resolved = parent != null && parent.toFile().exists()
                    ? parent.toRealPath().resolve(path.getFileName()) : path;
            return rules.allows(resolved, access);
        } catch (InvalidPathException | java.io.IOException e) {
            return false;
        }
    }
}
