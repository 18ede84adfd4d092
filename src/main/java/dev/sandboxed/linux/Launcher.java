package dev.sandboxed.linux;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child side of every sandboxed or traced run: a small Java program, started in its own JVM, that prepares
 * its own thread (tracer handshake, no_new_privs, Landlock, seccomp) and then {@code execve}s the real command,
 * which inherits all of it. Doing this in the child is what lets the parent stay a plain JVM that never forks
 * Java code. See {@link LauncherOptions} for the options and {@link LauncherCommand} for starting it.
 *
 * <p>Failures never reach the command: the launcher prints one line starting with {@code sandbox launcher:} on
 * stderr and exits with {@value #EXIT_FAILED} ({@value #EXIT_NOT_EXECUTABLE} when the file exists but cannot be
 * executed), the codes shells use, so a parent can tell "the command did not start" from the command's own exit.
 */
public final class Launcher {

    public static final int EXIT_FAILED = 127;
    public static final int EXIT_NOT_EXECUTABLE = 126;
    public static final String MESSAGE_PREFIX = "sandbox launcher: ";

    private final Linux linux;
    private final PrintStream err;

    private Launcher(Linux linux, PrintStream err) {
        this.linux = linux;
        this.err = err;
    }

    public static void main(String[] args) {
        int status;
        try {
            LauncherOptions options = LauncherOptions.parse(List.of(args));
            status = new Launcher(Linux.load(), System.err).launch(options);
        } catch (IllegalArgumentException | UnsupportedArchitectureException e) {
            System.err.println(MESSAGE_PREFIX + e.getMessage());
            status = EXIT_FAILED;
        }
        System.err.flush();
        System.exit(status);
    }

    /**
     * Prepares this thread and executes the command; returns only with an exit status when something failed.
     *
     * <p>The order matters. The cgroup comes first, before this JVM does anything the limits should see. The
     * policy's filter comes last, installed on this thread alone right before the exec with every argument already
     * in native memory: a policy written for the command (a JVM with another collector, or no JVM at all) must
     * never meet the launcher's own system calls, or its garbage collector and compiler threads, which a
     * thread-synchronised filter would reach and could kill before the command even starts.
     */
    private int launch(LauncherOptions options) {
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(options.environment());
        String command = options.command().get(0);
        Optional<Path> executable = Executables.resolve(command, environment.get("PATH"), Path.of("").toAbsolutePath());
        if (executable.isEmpty()) {
            return fail(EXIT_FAILED, "command not found: " + command);
        }
        Path path = executable.get();
        if (!Files.isExecutable(path)) {
            return fail(EXIT_NOT_EXECUTABLE, "permission denied: " + path);
        }
        try {
            byte[] filter = options.seccompFilter().isPresent() ? Files.readAllBytes(options.seccompFilter().get()) : null;
            if (options.cgroup().isPresent()) {
                joinCgroup(options.cgroup().get());
            }
            LinuxLibC libc = linux.libc();
            if (options.noNewPrivs()) {
                libc.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            }
            if (options.handshake().isPresent()) {
                awaitTracer(options.handshake().get());
            }
            if (options.usesLandlock()) {
                restrictFilesystem(options);
            }
            List<String> envp = new ArrayList<>();
            environment.forEach((name, value) -> envp.add(name + "=" + value));
            if (options.traceSeccomp()) {
                libc.seccompSetModeFilter(0, SeccompPrograms.traceEverything());
            }
            if (filter != null) {
                libc.execveUnderFilter(options.seccompLog() ? Seccomp.FILTER_FLAG_LOG : 0, filter, path.toString(),
                        options.command(), envp);
            } else {
                libc.execve(path.toString(), options.command(), envp);
            }
            throw new IllegalStateException("execve returned");
        } catch (LinuxException e) {
            boolean denied = e.is(Errno.EACCES) && e.operation().startsWith("execve");
            return fail(denied ? EXIT_NOT_EXECUTABLE : EXIT_FAILED, e.getMessage());
        } catch (IOException e) {
            return fail(EXIT_FAILED, "cannot read " + e.getMessage());
        }
    }

    /** Moves this whole process (every thread) into the cgroup, by writing its pid to {@code cgroup.procs}. */
    private void joinCgroup(Path directory) {
        Path procs = directory.resolve("cgroup.procs");
        try {
            Files.writeString(procs, Integer.toString(linux.libc().getpid()));
        } catch (IOException e) {
            throw new LinuxException("join cgroup " + directory, Errno.EACCES, "cannot write " + procs + ": " + e);
        }
    }

    /**
     * Tells the tracer which thread to seize and waits until it has. The tracer writes one byte once attached;
     * a bare end-of-file means it went away, and running the command untraced would silently record nothing.
     */
    private void awaitTracer(LauncherOptions.Handshake handshake) {
        LinuxLibC libc = linux.libc();
        byte[] tid = (libc.gettid() + "\n").getBytes(StandardCharsets.US_ASCII);
        libc.write(handshake.readyFd(), tid, tid.length);
        libc.close(handshake.readyFd());
        byte[] go = new byte[1];
        int n = libc.read(handshake.goFd(), go, 1);
        libc.close(handshake.goFd());
        if (n != 1) {
            throw new LinuxException("tracer handshake", Errno.ESRCH, "the tracer exited before attaching");
        }
    }

    private void restrictFilesystem(LauncherOptions options) {
        LinuxLibC libc = linux.libc();
        int abi = libc.landlockAbiVersion();
        if (abi < 1) {
            throw new LinuxException("landlock_create_ruleset", Errno.EOPNOTSUPP,
                    "this kernel has no Landlock (or it is disabled at boot): filesystem rules cannot be enforced");
        }
        long handled = Landlock.fsAccessForAbi(abi);
        int ruleset = libc.landlockCreateRuleset(handled, 0, 0);
        try {
            addRules(ruleset, ownNeeds(), Landlock.READ & handled);
            addRules(ruleset, options.landlockRead(), Landlock.READ & handled);
            addRules(ruleset, options.landlockWrite(), Landlock.READ_WRITE & handled);
            addRules(ruleset, options.landlockExecute(), Landlock.EXECUTE & handled);
            libc.landlockRestrictSelf(ruleset);
        } finally {
            libc.close(ruleset);
        }
    }

    /**
     * What this JVM still reads between restricting itself and the exec: its runtime and its own class path (a
     * class first used then, or a directory class path as in a build's {@code target/classes}).
     */
    private static List<Path> ownNeeds() {
        List<Path> needs = new ArrayList<>();
        needs.add(Path.of(System.getProperty("java.home")));
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.exists(Path.of(entry))) {
                needs.add(Path.of(entry).toAbsolutePath());
            }
        }
        return needs;
    }

    private void addRules(int ruleset, List<Path> paths, long rights) {
        LinuxLibC libc = linux.libc();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new LinuxException("landlock rule " + path, Errno.ENOENT, "no such file or directory");
            }
            long allowed = Files.isDirectory(path) ? rights : rights & Landlock.FILE_RIGHTS;
            int fd = libc.open(path.toString(), OpenFlags.O_PATH | OpenFlags.O_CLOEXEC, 0);
            try {
                libc.landlockAddPathBeneath(ruleset, allowed, fd);
            } finally {
                libc.close(fd);
            }
        }
    }

    private int fail(int status, String message) {
        err.println(MESSAGE_PREFIX + message);
        return status;
    }
}
