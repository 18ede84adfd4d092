package dev.sandboxed.sandbox;

import dev.sandboxed.bpf.Program;
import dev.sandboxed.bpf.SeccompCompiler;
import dev.sandboxed.json.AtomicFiles;
import dev.sandboxed.linux.Executables;
import dev.sandboxed.linux.Launcher;
import dev.sandboxed.linux.LauncherCommand;
import dev.sandboxed.linux.LauncherOptions;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.Signals;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import dev.sandboxed.process.Command;
import dev.sandboxed.process.CommandNotFoundException;
import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.process.Termination;
import dev.sandboxed.record.OutputLines;
import dev.sandboxed.record.LaunchFailedException;
import dev.sandboxed.record.PtraceRecorder;
import dev.sandboxed.record.RecordException;
import dev.sandboxed.record.RecordOptions;
import dev.sandboxed.record.RecordingSession;
import dev.sandboxed.record.Supervision;
import dev.sandboxed.record.TracingMode;
import dev.sandboxed.syscall.Arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code verify}'s runtime for machines without a container engine. The application runs through the
 * {@link Launcher}: a small JVM that joins a cgroup of the run's own (pids limit), sets no_new_privs, confines the
 * filesystem with Landlock to the {@link FilesystemRules}, and installs the compiled policy as its very last step
 * before it executes the command, which inherits all of it.
 *
 * <h2>How violations are collected, and why so</h2>
 *
 * <p><b>Enforce</b> installs the policy's real program, with {@code SECCOMP_FILTER_FLAG_LOG} so that the kernel logs
 * every call it refuses, and reads those records from {@code /dev/kmsg} ({@link KernelEventCollector}), attributing
 * them to the run by its cgroup. This keeps the enforced run exactly what production would run: nothing sits between
 * the application and the kernel. {@code VerifyBenchmark} measures it on a JVM reading and writing 100 MB in 64 KB
 * buffers: 1.02x the wall time of the same launcher with an allow-everything policy (the filter and Landlock cost the
 * JVM's start-up about 10 ms; the I/O loop itself is unchanged), plus a fixed 0.2 s for the launcher JVM over running
 * the command directly. Its limits are the kernel log's: it needs root (or CAP_SYSLOG), carries no arguments, and is
 * rate-limited to about 10 records per 5 s without auditd; a file access Landlock refused is not logged at all (Landlock's
 * audit records, from Linux 6.15, need audit enabled, which only auditd or auditctl does). So a failed enforce run is
 * diagnosed by running it again in complain mode, and {@code verify} checks a passing one so too whenever Landlock
 * confined it.
 *
 * <p><b>Complain</b> runs the command under the ptrace tracer with the {@link ComplainFilter}: the same program with
 * every refusing return turned into {@code SECCOMP_RET_TRACE}. Each call the policy would refuse stops once, is
 * recorded with all its arguments and the executable that made it, and goes ahead; calls the policy allows never
 * stop. This needs no privilege, is not rate-limited, sees calls through foreign ABIs, and costs one ptrace
 * round trip per violation and per file-naming call (about 5 us each), which a diagnosis can afford. Landlock stays
 * in force, so files outside the rules are refused here too; the tracer follows each file-naming call to its exit
 * and reports the paths Landlock refused.
 *
 * <p>Where the kernel lacks something, the run goes ahead without it and {@link NativeRun#notes()} says so in one
 * line each: no Landlock (filesystem unconfined), no writable pids hierarchy (no pids limit, kernel log not
 * attributable), no readable kernel log.
 */
public final class NativeSandbox {

    public static final String CGROUP_PREFIX = "sandbox-verify-";

    /** How long the kernel log must be quiet after the run before reading stops. */
    private static final Duration KERNEL_QUIET = Duration.ofMillis(150);
    private static final int SIGSYS_EXIT = 128 + Signals.SIGSYS;

    private final Linux linux;
    private final ProcessRunner runner;
    private final SeccompCompiler compiler;

    private NativeSandbox(Linux linux, ProcessRunner runner, SeccompCompiler compiler) {
        this.linux = linux;
        this.runner = runner;
        this.compiler = compiler;
    }

    public static NativeSandbox create(Linux linux, ProcessRunner runner) {
        return new NativeSandbox(Objects.requireNonNull(linux, "linux"), Objects.requireNonNull(runner, "runner"),
                new SeccompCompiler());
    }

    /** The architecture whose calls the runs make, which the policy must cover. */
    public Arch arch() {
        return linux.arch();
    }

    /** Whether this kernel has Landlock, so that filesystem rules given to a run are enforced. */
    public boolean confinesFilesystem() {
        return linux.libc().landlockAbiVersion() >= 1;
    }

    /** Runs the application under the policy's real actions. Never throws for the application's failure. */
    public NativeRun enforce(NativeSpec spec, Consumer<String> stdout, Consumer<String> stderr) {
        return enforce(spec, command -> command.withStdout(stdout).withStderr(stderr));
    }

    /**
     * Runs the application under the policy's real actions with this JVM's standard input, output and error, for
     * an application that talks a protocol over them (a forked test JVM). A failure of the launcher itself is then
     * printed by the launcher straight to that error stream rather than described in the result.
     */
    public NativeRun enforceWithInheritedIo(NativeSpec spec) {
        return enforce(spec, Command::inheritingIo);
    }

    private NativeRun enforce(NativeSpec spec, UnaryOperator<Command> io) {
        Program program = compiler.compile(spec.policy(), linux.arch(), spec.weights());
        Path filter = writeFilter(spec, "enforce", program);
        long started = System.nanoTime();
        try (Confinement confinement = confine(spec)) {
            LauncherOptions.Builder launcher = LauncherOptions.builder().seccompLog().command(spec.command());
            confinement.apply(launcher, filter);
            LauncherCommand start = LauncherCommand.of(launcher.build(), spec.environment());
            Instant windowStart = Instant.now();
            Optional<KernelEventCollector> kernel = confinement.cgroup()
                    .map(cgroup -> KernelEventCollector.start(cgroup.name(), ownUid(), windowStart));
            List<String> notes = new ArrayList<>(confinement.notes());
            if (kernel.isEmpty()) {
                notes.add("calls the policy refused are not listed from the kernel log: without a cgroup of its own"
                        + " the run's records cannot be told from other processes'; a failing run is diagnosed in"
                        + " complain mode");
            }
            ProcessResult result;
            try {
                Command command = io.apply(Command.of(start.argv())
                        .withExactEnvironment(environment(start.environment()))
                        .withWorkingDirectory(spec.workingDirectory()).withTimeout(spec.timeout()));
                result = runner.run(spec.logFile().map(command::withLogFile).orElse(command));
            } catch (CommandNotFoundException | UncheckedIOException e) {
                kernel.ifPresent(KernelEventCollector::close);
                return new NativeRun(RunOutcome.INFRASTRUCTURE_FAILURE, -1, "the launcher JVM could not be started: "
                        + e.getMessage(), since(started), Violations.of(List.of(), List.of()), notes);
            }
            kernel.ifPresent(KernelEventCollector::containerExited);
            KernelEvents events = kernel.map(k -> {
                try (k) {
                    return k.finish(KERNEL_QUIET);
                }
            }).orElse(KernelEvents.unavailable("not collected"));
            Violations kernelViolations = kernel.isPresent() ? Violations.fromKernel(events)
                    : Violations.of(List.of(), List.of());
            return classify(result, confinement, spec, kernelViolations, notes, result.elapsed());
        }
    }

    /**
     * Runs the application under the tracer with every refusal turned into a reported stop; the run goes on past
     * each violation. Never throws for the application's failure.
     */
    public NativeRun complain(NativeSpec spec, Consumer<String> stdout, Consumer<String> stderr) {
        Arch arch = linux.arch();
        Program enforced = compiler.compile(spec.policy(), arch, spec.weights());
        long started = System.nanoTime();
        try (Confinement confinement = confine(spec)) {
            Program program = ComplainFilter.of(spec.policy(), arch, confinement.landlock().isPresent(), compiler,
                    spec.weights());
            Path filter = writeFilter(spec, "complain", program);
            ComplainObserver observer = new ComplainObserver(enforced, spec.policy(), arch, confinement.landlock());
            RecordOptions.Builder options = RecordOptions.builder()
                    .mode(TracingMode.SECCOMP)
                    .timeout(spec.timeout())
                    .workingDirectory(spec.workingDirectory())
                    .environment(spec.environment())
                    .output((stream, line) -> (stream == OutputLines.Stream.STDOUT ? stdout : stderr).accept(line))
                    .supervision(new Supervision(launcher -> confinement.apply(launcher, filter), observer));
            spec.logFile().ifPresent(options::outputFile);
            Recording recording;
            try {
                RecordingSession session = new PtraceRecorder(linux).start(spec.command(), options.build());
                recording = session.await();
            } catch (LaunchFailedException e) {
                if (commandRefused(e.exitStatus(), e.getMessage(), confinement)) {
                    return commandNotExecutable(spec, confinement, e.getMessage(), Violations.of(List.of(), List.of()),
                            confinement.notes(), since(started));
                }
                return new NativeRun(RunOutcome.INFRASTRUCTURE_FAILURE, -1, "the traced run could not be started: "
                        + e.getMessage(), since(started), Violations.of(List.of(), List.of()), confinement.notes());
            } catch (RecordException e) {
                return new NativeRun(RunOutcome.INFRASTRUCTURE_FAILURE, -1, "the traced run could not be started: "
                        + e.getMessage(), since(started), Violations.of(List.of(), List.of()), confinement.notes());
            }
            Run run = recording.runs().get(0);
            Duration elapsed = Duration.ofMillis(run.wallMillis());
            Violations observed = Violations.of(observer.violations(), observer.files(), limits(confinement, spec),
                    List.of());
            if (run.interrupted()) {
                boolean interrupted = Thread.currentThread().isInterrupted();
                return new NativeRun(interrupted ? RunOutcome.INTERRUPTED : RunOutcome.TIMED_OUT, -1,
                        interrupted ? "interrupted; the run was killed"
                                : "did not finish within " + spec.timeout().toMillis() + " ms and was killed",
                        elapsed, observed, confinement.notes());
            }
            return ended(run.exitStatus(), confinement, spec, observed, confinement.notes(), elapsed);
        }
    }

    private NativeRun classify(ProcessResult result, Confinement confinement, NativeSpec spec, Violations violations,
                               List<String> notes, Duration elapsed) {
        if (result.termination() == Termination.TIMED_OUT) {
            return new NativeRun(RunOutcome.TIMED_OUT, -1, "did not finish within " + spec.timeout().toMillis()
                    + " ms and was killed", elapsed, violations, notes);
        }
        if (result.termination() == Termination.INTERRUPTED) {
            return new NativeRun(RunOutcome.INTERRUPTED, -1, "interrupted; the run was killed", elapsed, violations,
                    notes);
        }
        int code = result.exitCode();
        Optional<String> launcherFailure = result.stderrTail().stream()
                .filter(line -> line.startsWith(Launcher.MESSAGE_PREFIX)).findFirst();
        if (launcherFailure.isPresent() && commandRefused(code, launcherFailure.get(), confinement)) {
            return commandNotExecutable(spec, confinement, launcherFailure.get(), violations, notes, elapsed);
        }
        if ((code == Launcher.EXIT_FAILED || code == Launcher.EXIT_NOT_EXECUTABLE) && launcherFailure.isPresent()) {
            return new NativeRun(RunOutcome.INFRASTRUCTURE_FAILURE, code, "the sandbox could not be set up: "
                    + launcherFailure.get().substring(Launcher.MESSAGE_PREFIX.length()), elapsed, violations, notes);
        }
        Violations withLimits = new Violations(violations.violations(), violations.filesystem(),
                limits(confinement, spec), violations.warnings());
        return ended(code, confinement, spec, withLimits, notes, elapsed);
    }

    /** Whether the launcher failed because Landlock refused to execute the command itself. */
    private static boolean commandRefused(int code, String message, Confinement confinement) {
        return code == Launcher.EXIT_NOT_EXECUTABLE && confinement.landlock().isPresent() && message.contains("execve(")
                && message.contains("EACCES");
    }

    /** The command is not among the programs the rules let run: a file violation, not a broken sandbox. */
    private static NativeRun commandNotExecutable(NativeSpec spec, Confinement confinement, String message,
                                                  Violations violations, List<String> notes, Duration elapsed) {
        String program = Executables.resolve(spec.command().get(0), spec.environment().get("PATH"),
                spec.workingDirectory()).map(Path::toString).orElse(spec.command().get(0));
        Violations refused = Violations.of(violations.violations(), List.of(new FilesystemViolation(program,
                "execute", Launcher.class.getSimpleName(), 1, "landlock", "")), limits(confinement, spec),
                violations.warnings());
        String reason = message.substring(message.indexOf(Launcher.MESSAGE_PREFIX) < 0 ? 0
                : message.indexOf(Launcher.MESSAGE_PREFIX) + Launcher.MESSAGE_PREFIX.length());
        return new NativeRun(RunOutcome.EXITED, Launcher.EXIT_NOT_EXECUTABLE, "the command itself may not run: "
                + reason, elapsed, refused, notes);
    }

    private static NativeRun ended(int code, Confinement confinement, NativeSpec spec, Violations violations,
                                   List<String> notes, Duration elapsed) {
        if (code == SIGSYS_EXIT) {
            return new NativeRun(RunOutcome.KILLED_BY_SECCOMP, code, "killed by SIGSYS: the policy's kill action"
                    + " stopped a system call", elapsed, violations, notes);
        }
        if (code != 0 && confinement.cgroup().map(PidsCgroup::limitReached).orElse(false)) {
            return new NativeRun(RunOutcome.PIDS_LIMIT, code, "a fork was refused by the pids limit ("
                    + spec.pidsLimit() + " tasks) and the application failed (exit code " + code + ")", elapsed,
                    violations, notes);
        }
        return new NativeRun(RunOutcome.EXITED, code, "exited with " + code, elapsed, violations, notes);
    }

    private static List<String> limits(Confinement confinement, NativeSpec spec) {
        return confinement.cgroup().filter(PidsCgroup::limitReached)
                .map(cgroup -> List.of("pids: the pids limit (" + spec.pidsLimit() + " tasks, threads included)"
                        + " refused a fork or clone"))
                .orElse(List.of());
    }

    /**
     * The run's cgroup and Landlock rules, with a note for each the machine cannot give. Closing it kills whatever
     * the run left in its cgroup.
     */
    private record Confinement(Optional<PidsCgroup> cgroup, Optional<FilesystemRules> landlock, List<String> notes)
            implements AutoCloseable {

        void apply(LauncherOptions.Builder launcher, Path filter) {
            launcher.noNewPrivs().seccompFilter(filter);
            cgroup.ifPresent(c -> launcher.cgroup(c.directory()));
            landlock.ifPresent(rules -> {
                rules.read().forEach(launcher::landlockRead);
                rules.readWrite().forEach(launcher::landlockWrite);
                rules.execute().forEach(launcher::landlockExecute);
            });
        }

        @Override
        public void close() {
            cgroup.ifPresent(PidsCgroup::close);
        }
    }

    private Confinement confine(NativeSpec spec) {
        removeStalePerformanceData();
        List<String> notes = new ArrayList<>();
        Optional<FilesystemRules> landlock = Optional.empty();
        if (spec.filesystem().isPresent()) {
            if (!confinesFilesystem()) {
                notes.add("this kernel has no Landlock (or it is disabled at boot): the filesystem is not confined,"
                        + " only the seccomp policy applies");
            } else {
                landlock = Optional.of(spec.filesystem().get().forLandlock()).filter(rules -> !rules.isEmpty());
            }
        }
        Optional<PidsCgroup> cgroup;
        try {
            cgroup = Optional.of(PidsCgroup.create(CGROUP_PREFIX + UUID.randomUUID(), spec.pidsLimit()));
        } catch (IOException e) {
            notes.add("no pids limit: " + e.getMessage());
            cgroup = Optional.empty();
        }
        return new Confinement(cgroup, landlock, notes);
    }

    /**
     * A starting JVM looks at every performance-data file in {@code /tmp/hsperfdata_USER} and asks with
     * {@code kill(pid, 0)} whether its owner still lives, deleting the files of the dead. Such files exist only after
     * a JVM died without cleaning up, as one the policy killed does; their presence then makes the verified JVM call
     * {@code kill}, which its recording, made without them, never saw. Deleting them first, as that JVM would,
     * keeps one killed run from making the next one fail.
     */
    private static void removeStalePerformanceData() {
        Path directory = FilesystemRules.performanceData();
        if (!Files.isDirectory(directory)) {
            try {
                // As HotSpot makes it, so the Landlock rule for it has a directory to name.
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
            }
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()
                        && ProcessHandle.of(Long.parseLong(name)).isEmpty()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Another JVM cleaned up at the same time; what is left it will check itself.
        }
    }

    private static Path writeFilter(NativeSpec spec, String mode, Program program) {
        Path file = spec.workDirectory().resolve("seccomp-" + mode + ".bpf");
        try {
            AtomicFiles.write(file, program.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the compiled filter " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static Map<String, String> environment(List<String> variables) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String variable : variables) {
            int eq = variable.indexOf('=');
            map.put(variable.substring(0, eq), variable.substring(eq + 1));
        }
        return map;
    }

    /** This process's user id, which the run's processes have too; read from the owner of {@code /proc/self}. */
    private static long ownUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
