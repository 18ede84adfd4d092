package dev.sandboxed.record;

import dev.sandboxed.linux.Errno;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.LinuxException;
import dev.sandboxed.linux.LinuxLibC;
import dev.sandboxed.linux.OpenFlags;
import dev.sandboxed.linux.Pipe;
import dev.sandboxed.linux.Prctl;
import dev.sandboxed.linux.Signals;
import dev.sandboxed.linux.SpawnAction;
import dev.sandboxed.linux.SpawnAttributes;
import dev.sandboxed.linux.Wait;
import dev.sandboxed.linux.WaitStatus;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.syscall.Arch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The eBPF recorder of one run. The command is started through {@code /bin/sh}, which waits on a pipe: the
 * shell's pid goes into the {@code tasks} map first, and only then may it exec the command, so the command's first
 * instruction is already recorded. The shell's own calls are not: a component key is only given at exec.
 *
 * <p>Nothing stops the command; the programs count in the kernel. This thread waits for the shell, then polls
 * the {@code tasks} map until the whole tree (daemons and orphans included) has exited, and reads the maps.
 */
final class EbpfTracer extends TraceBackend {

    private static final long POLL_NANOS = 5_000_000;
    private static final int SHEBANG_BYTES = 256;

    private final Linux linux;
    private final LinuxLibC libc;
    private final EbpfProbes probes;
    private final List<String> command;
    private final RecordOptions options;
    private final SyscallNames names;
    private volatile boolean killRequested;
    private volatile int rootPid = -1;
    /** Set once the probes are closed; a late kill then has nothing to do. */
    private boolean finished;
    private int exitStatus = -1;
    private String signal = "";
    private Path executable;

    EbpfTracer(Linux linux, EbpfProbes probes, List<String> command, RecordOptions options) {
        this.linux = linux;
        this.libc = linux.libc();
        this.probes = probes;
        this.command = List.copyOf(command);
        this.options = options;
        this.names = new SyscallNames(linux.arch());
    }

    @Override
    Arch arch() {
        return linux.arch();
    }

    @Override
    void kill() {
        synchronized (this) {
            if (killRequested || finished) {
                return;
            }
            killRequested = true;
            killTree();
        }
    }

    /** Kills the root and every process the maps know of; called again while the tree dies, for late forks. */
    private synchronized void killTree() {
        if (finished) {
            return;
        }
        int root = rootPid;
        if (root > 0) {
            killQuietly(root);
        }
        probes.tracked().forEach(this::killQuietly);
    }

    private void killQuietly(int pid) {
        try {
            libc.kill(pid, Signals.SIGKILL);
        } catch (LinuxException e) {
            // Already gone.
        }
    }

    @Override
    Tracer.Outcome run() {
        executable = CommandIo.executable(command, options);
        try (CommandIo io = CommandIo.open(libc, command, options)) {
            boolean subreaper = false;
            try {
                libc.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
                subreaper = true;
                launch(io);
                awaitRoot();
                awaitTree();
            } catch (RuntimeException | Error e) {
                killRequested = true;
                awaitTree();
                throw e;
            } finally {
                if (subreaper) {
                    reapOrphans();
                }
            }
            io.awaitOutput(killRequested);
            SortedMap<String, Component> components = collect();
            if (components.isEmpty() && !killRequested) {
                throw io.launchFailed(CommandIo.SHELL, exitStatus, signal);
            }
            return new Tracer.Outcome(components, exitStatus, signal, killRequested);
        } finally {
            synchronized (this) {
                finished = true;
                probes.closeInBackground();
            }
        }
    }

    private void launch(CommandIo io) {
        Pipe go = libc.pipe2(OpenFlags.O_CLOEXEC);
        List<Integer> childEnds = new ArrayList<>();
        List<SpawnAction> actions = new ArrayList<>();
        int goRead = io.aboveStandardFds(go.readFd());
        childEnds.add(goRead);
        actions.add(SpawnAction.dup2(goRead, CommandIo.GO_FD));
        io.redirect(actions, childEnds);
        actions.add(SpawnAction.chdir(options.workingDirectory().toString()));
        int pid;
        try {
            pid = libc.posixSpawn(CommandIo.SHELL, actions, SpawnAttributes.standard(), io.shellArgv(executable),
                    io.environment());
        } catch (LinuxException e) {
            libc.close(go.writeFd());
            io.discardPumps();
            throw new RecordException("cannot start " + CommandIo.SHELL + " to run " + command.get(0) + ": "
                    + e.getMessage(), e);
        } finally {
            childEnds.forEach(libc::close);
        }
        rootPid = pid;
        io.startPumps();
        try {
            probes.track(pid);
            libc.write(go.writeFd(), new byte[] {'g', '\n'}, 2);
        } catch (LinuxException e) {
            killQuietly(pid);
            throw e;
        } finally {
            libc.close(go.writeFd());
        }
        if (killRequested) {
            killQuietly(pid);
        }
    }

    private void awaitRoot() {
        while (true) {
            try {
                WaitStatus status = libc.waitpid(rootPid, Wait.WALL);
                exitStatus = status.shellExitStatus();
                signal = status.signaled() ? Signals.name(status.terminationSignal()) : "";
                return;
            } catch (LinuxException e) {
                if (!e.is(Errno.EINTR)) {
                    throw e;
                }
            }
        }
    }

    /** Waits until no process of the tree is left; kills them as they come while a kill is requested. */
    private void awaitTree() {
        while (!probes.tracked().isEmpty()) {
            if (killRequested) {
                killTree();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Orphans of the tree were re-parented to this process, the subreaper; those that exited are zombies until
     * reaped here, by pid (never {@code waitpid(-1)}, which could steal another thread's child).
     */
    private void reapOrphans() {
        try {
            for (int pid : probes.born()) {
                try {
                    libc.waitpid(pid, Wait.WALL | Wait.WNOHANG);
                } catch (LinuxException e) {
                    // Not our child: reaped by its own parent already.
                }
            }
        } finally {
            libc.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
        }
    }

    /** Turns the maps into components, one per executable, as the ptrace recorder has them. */
    private SortedMap<String, Component> collect() {
        EbpfMaps maps = probes.maps();
        Map<Long, ComponentBuilder> byKey = new HashMap<>();
        Map<String, ComponentBuilder> byExecutable = new HashMap<>();
        Map<String, String> resolved = new HashMap<>();
        probes.entries(maps.execs(), EbpfLayout.EXEC_KEY, EbpfLayout.EXEC_VALUE, (key, value) -> {
            String filename = string(value, EbpfLayout.EXEC_FILENAME, EbpfLayout.PATH_BYTES);
            String exe = resolved.computeIfAbsent(filename, this::executableOf);
            ComponentBuilder builder = byExecutable.computeIfAbsent(exe, ComponentBuilder::new);
            byKey.put(key.getLong(0), builder);
            if (value.getInt(EbpfLayout.EXEC_FIRST) == 1) {
                builder.count("execve");
                builder.path(executable.toAbsolutePath().normalize().toString(), FileAccess.EXECUTE);
            }
        });
        int nativeArch = linux.arch().auditArch();
        probes.entries(maps.counts(), EbpfLayout.COUNT_KEY, EbpfLayout.COUNT_VALUE, (key, value) -> {
            ComponentBuilder builder = byKey.get(key.getLong(0));
            if (builder != null) {
                builder.count(names.name(nativeArch, key.getLong(8)), value.getLong(0));
            }
        });
        probes.entries(maps.values(), EbpfLayout.VALUE_KEY, 0, (key, value) -> {
            ComponentBuilder builder = byKey.get(key.getLong(0));
            if (builder != null) {
                builder.argument(names.name(nativeArch, key.getInt(8)), key.getInt(12), key.getLong(16));
            }
        });
        probes.entries(maps.paths(), EbpfLayout.PATH_KEY, 0, (key, value) -> {
            ComponentBuilder builder = byKey.get(key.getLong(0));
            if (builder != null) {
                path(builder, names.name(nativeArch, key.getInt(8)), key);
            }
        });
        probes.entries(maps.addresses(), EbpfLayout.ADDRESS_KEY, 0, (key, value) -> {
            ComponentBuilder builder = byKey.get(key.getLong(0));
            if (builder != null) {
                int length = key.getInt(EbpfLayout.ADDRESS_LENGTH);
                byte[] raw = new byte[length];
                key.get(EbpfLayout.ADDRESS_TEXT, raw);
                builder.address(names.name(nativeArch, key.getInt(8)) + " " + SocketAddresses.render(raw, length));
            }
        });
        SortedMap<String, Component> components = new TreeMap<>();
        byExecutable.forEach((exe, builder) -> components.put(exe, builder.build()));
        return components;
    }

    /**
     * Records one path as the ptrace recorder would. A relative path is resolved against the run's working
     * directory when it was relative to the cwd and the process had not changed directory; otherwise (relative to a
     * dirfd, or after a {@code chdir}) where it pointed is no longer known, and it is left out.
     */
    private void path(ComponentBuilder builder, String name, ByteBuffer key) {
        List<CallFacts.PathArgument> arguments = CallFacts.paths(name);
        int slot = key.get(EbpfLayout.PATH_SLOT);
        if (slot >= arguments.size()) {
            return;
        }
        long flags = key.getLong(EbpfLayout.PATH_FLAGS);
        Set<FileAccess> accesses = arguments.get(slot).accesses(flags);
        String raw = string(key, EbpfLayout.PATH_TEXT, EbpfLayout.PATH_BYTES);
        if (raw.length() >= EbpfLayout.PATH_BYTES - 1) {
            raw = raw.substring(0, Math.max(1, raw.lastIndexOf('/')));
        }
        String path;
        if (raw.startsWith("/")) {
            path = SyscallRecorder.normalise(raw);
        } else if (!raw.isEmpty() && key.get(EbpfLayout.PATH_CWD) == 1) {
            path = SyscallRecorder.normalise(options.workingDirectory().resolve(raw).toString());
        } else {
            return;
        }
        accesses.forEach(access -> builder.path(path, access));
    }

    /**
     * What {@code /proc/<pid>/exe} would have said: the file the tracepoint named, with symbolic links resolved,
     * and for a {@code #!} script its interpreter.
     */
    private String executableOf(String filename) {
        try {
            Path file = options.workingDirectory().resolve(filename);
            Path real = file.toRealPath();
            Optional<Path> interpreter = interpreter(real);
            return interpreter.isPresent() ? interpreter.get().toRealPath().toString() : real.toString();
        } catch (IOException | InvalidPathException e) {
            return SyscallRecorder.normalise(filename);
        }
    }

    private static Optional<Path> interpreter(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SHEBANG_BYTES);
        }
        if (head.length < 3 || head[0] != '#' || head[1] != '!') {
            return Optional.empty();
        }
        String line = new String(head, 2, head.length - 2, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        String[] words = line.split("\\s+", 2);
        return words[0].startsWith("/") ? Optional.of(Path.of(words[0])) : Optional.empty();
    }

    private static String string(ByteBuffer buffer, int offset, int max) {
        int end = offset;
        while (end < offset + max && buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
