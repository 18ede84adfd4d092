package dev.sandboxed.record;

import dev.sandboxed.linux.Errno;
import dev.sandboxed.linux.LauncherCommand;
import dev.sandboxed.linux.LauncherOptions;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.LinuxException;
import dev.sandboxed.linux.LinuxLibC;
import dev.sandboxed.linux.OpenFlags;
import dev.sandboxed.linux.Pipe;
import dev.sandboxed.linux.Prctl;
import dev.sandboxed.linux.ProcStatus;
import dev.sandboxed.linux.Ptrace;
import dev.sandboxed.linux.SeccompPrograms;
import dev.sandboxed.linux.Signals;
import dev.sandboxed.linux.SpawnAction;
import dev.sandboxed.linux.SpawnAttributes;
import dev.sandboxed.linux.SyscallInfo;
import dev.sandboxed.linux.TraceeSeccomp;
import dev.sandboxed.linux.Wait;
import dev.sandboxed.linux.WaitStatus;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.syscall.Arch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ptrace tracer of one run. {@link #run()} must execute on a thread of its own from spawn to the end:
 * the kernel ties tracees to the tracer thread, and the launcher is spawned from that thread so that it is
 * that thread's child ({@code waitpid(-1, __WALL | __WNOTHREAD)} then sees exactly the traced tree and never
 * another thread's children). {@link #kill()} is the only method other threads call.
 *
 * <p>The command is started by a launcher that waits until the tracer has seized it and then execs the command.
 * Everything up to that first exec is the launcher's and is not recorded; the exec itself is, as the command's first
 * {@code execve}. Usually the launcher is {@code /bin/sh}, which costs a millisecond (a minimal image may have none); in the seccomp mode the tracer
 * then installs the one-instruction {@code SECCOMP_RET_TRACE} filter into the command itself, at the syscall exit of
 * that exec, before the command's first instruction ({@link TraceeSeccomp}). The launcher JVM (≈ 0.2 s to start) is
 * used only where that cannot be done: supervision, which also confines with Landlock and a cgroup, and the
 * architectures {@link TraceeSeccomp} does not cover. Attaching with {@code PTRACE_SEIZE} (which children inherit) is
 * what makes job-control stops observable and resumable without breaking them.
 */
final class Tracer extends TraceBackend {

    /** Where the launcher JVM finds its ends of the handshake pipes. */
    private static final int LAUNCHER_READY_FD = 3;
    private static final int LAUNCHER_GO_FD = 4;

    private static final class Tracee {
        int tid;
        /** Null while the tracee is the launcher (before the command's exec) or already gone. */
        ComponentBuilder component;
        boolean launcher;

        Tracee(int tid, ComponentBuilder component, boolean launcher) {
            this.tid = tid;
            this.component = component;
            this.launcher = launcher;
        }
    }

    /** What the run produced, for {@link RecordingSession} to turn into a recording. */
    record Outcome(SortedMap<String, Component> components, int exitStatus, String signal, boolean killed) {
    }

    private final Linux linux;
    private final LinuxLibC libc;
    private final List<String> command;
    private final RecordOptions options;
    private final SyscallRecorder recorder;
    private final Map<String, ComponentBuilder> components = new HashMap<>();
    private final Map<Integer, Tracee> tracees = new HashMap<>();
    private final Set<Integer> everSeen = new HashSet<>();
    private final Set<Integer> live = ConcurrentHashMap.newKeySet();
    /** Supervised calls whose observer asked for their exit, by thread. */
    private final Map<Integer, SyscallStop> awaitingExit = new HashMap<>();
    private volatile boolean killRequested;
    private volatile int launcherPid = -1;
    private boolean subreaperSet;
    /** Set once the tree is gone and reaped; a late kill then has nothing to do. */
    private boolean finished;
    private boolean commandStarted;
    /** The tracee that still needs its tracing filter installed at its exec's syscall exit; 0 when none. */
    private int filterPending;
    private int exitStatus = -1;
    private String signal = "";
    private Path executable;

    Tracer(Linux linux, List<String> command, RecordOptions options) {
        this.linux = linux;
        this.libc = linux.libc();
        this.command = List.copyOf(command);
        this.options = options;
        this.recorder = new SyscallRecorder(new SyscallNames(linux.arch()), new TraceeMemory(libc));
    }

    Arch arch() {
        return linux.arch();
    }

    /** Kills the whole traced tree; the tracer thread then reaps it and {@link #run()} returns. */
    void kill() {
        synchronized (this) {
            if (killRequested || finished) {
                return;
            }
            killRequested = true;
        }
        int launcher = launcherPid;
        if (launcher > 0) {
            killQuietly(launcher);
        }
        for (int tid : live) {
            killQuietly(tid);
        }
    }

    private void killQuietly(int pid) {
        try {
            libc.kill(pid, Signals.SIGKILL);
        } catch (LinuxException e) {
            // Already gone.
        }
    }

    Outcome run() {
        executable = CommandIo.executable(command, options);
        BitSet affinity = null;
        if (options.pinToOneCpu()) {
            affinity = libc.schedGetaffinity(0);
            BitSet one = new BitSet();
            one.set(libc.schedGetcpu());
            libc.schedSetaffinity(0, one);
        }
        try (CommandIo io = CommandIo.open(libc, command, options)) {
            try {
                if (launch(io) > 0) {
                    loop();
                }
            } catch (RuntimeException | Error e) {
                abandon();
                throw e;
            } finally {
                reapOrphans();
            }
            io.awaitOutput(killRequested);
            if (!commandStarted && !killRequested) {
                throw io.launchFailed("the launcher", exitStatus, signal);
            }
            SortedMap<String, Component> built = new TreeMap<>();
            components.forEach((exe, builder) -> built.put(exe, builder.build()));
            return new Outcome(built, exitStatus, signal, killRequested);
        } finally {
            if (affinity != null) {
                libc.schedSetaffinity(0, affinity);
            }
        }
    }

    /** Spawns the launcher and seizes it; returns the seized thread, or 0 when it never got that far. */
    private int launch(CommandIo io) {
        boolean shell = options.supervision().isEmpty() && CommandIo.shellAvailable()
                && (options.mode() == TracingMode.SYSCALL || TraceeSeccomp.supports(linux.arch()));
        return shell ? launchShell(io) : launchJvm(io);
    }

    /** The launcher is {@code /bin/sh}: it blocks reading the go pipe, so the tracer seizes it before it can exec. */
    private int launchShell(CommandIo io) {
        Pipe go = libc.pipe2(OpenFlags.O_CLOEXEC);
        List<Integer> childEnds = new ArrayList<>();
        int goRead = io.aboveStandardFds(go.readFd());
        childEnds.add(goRead);
        List<SpawnAction> actions = new ArrayList<>();
        actions.add(SpawnAction.dup2(goRead, CommandIo.GO_FD));
        io.redirect(actions, childEnds);
        actions.add(SpawnAction.chdir(options.workingDirectory().toString()));
        int pid = spawn(io, CommandIo.SHELL, actions, io.shellArgv(executable), io.environment(), childEnds,
                List.of(go.writeFd()), CommandIo.SHELL + " to launch the command");
        seize(pid, pid, go.writeFd());
        if (options.mode() == TracingMode.SECCOMP) {
            filterPending = pid;
        }
        return pid;
    }

    /**
     * Spawns the launcher as this thread's child and starts pumping its output. The child's pipe ends are closed here
     * either way; the parent's ends ({@code parentEnds}) too when the spawn fails.
     */
    private int spawn(CommandIo io, String path, List<SpawnAction> actions, List<String> argv, List<String> environment,
                      List<Integer> childEnds, List<Integer> parentEnds, String what) {
        becomeSubreaper();
        int pid;
        try {
            pid = libc.posixSpawn(path, actions, SpawnAttributes.standard(), argv, environment);
        } catch (LinuxException e) {
            parentEnds.forEach(libc::close);
            io.discardPumps();
            throw new RecordException("cannot start " + what + ": " + e.getMessage(), e);
        } finally {
            childEnds.forEach(libc::close);
        }
        launcherPid = pid;
        everSeen.add(pid);
        io.startPumps();
        if (killRequested) {
            killQuietly(pid);
        }
        return pid;
    }

    /** Seizes the launcher's thread {@code tid} and tells it to go on; kills the launcher when ptrace refuses. */
    private void seize(int pid, int tid, int goFd) {
        int ptraceOptions = Ptrace.O_TRACESYSGOOD | Ptrace.O_TRACEFORK | Ptrace.O_TRACEVFORK | Ptrace.O_TRACECLONE
                | Ptrace.O_TRACEEXEC | Ptrace.O_EXITKILL;
        if (options.mode() == TracingMode.SECCOMP) {
            ptraceOptions |= Ptrace.O_TRACESECCOMP;
        }
        try {
            libc.ptrace(Ptrace.SEIZE, tid, 0, ptraceOptions);
        } catch (LinuxException e) {
            killQuietly(pid);
            libc.close(goFd);
            libc.waitpid(pid, Wait.WALL);
            throw PtraceDiagnosis.explain(e);
        }
        tracees.put(tid, new Tracee(tid, null, true));
        live.add(tid);
        everSeen.add(tid);
        libc.write(goFd, new byte[] {'g', '\n'}, 2);
        libc.close(goFd);
    }

    /** The launcher is a JVM of ours that hands over its thread id and confines itself before the exec. */
    private int launchJvm(CommandIo io) {
        Pipe ready = libc.pipe2(OpenFlags.O_CLOEXEC);
        Pipe go = libc.pipe2(OpenFlags.O_CLOEXEC);
        List<Integer> childEnds = new ArrayList<>();
        List<SpawnAction> actions = new ArrayList<>();
        int readyWrite = io.aboveStandardFds(ready.writeFd());
        int goRead = io.aboveStandardFds(go.readFd());
        childEnds.add(readyWrite);
        childEnds.add(goRead);
        actions.add(SpawnAction.dup2(readyWrite, LAUNCHER_READY_FD));
        actions.add(SpawnAction.dup2(goRead, LAUNCHER_GO_FD));
        io.redirect(actions, childEnds);
        actions.add(SpawnAction.chdir(options.workingDirectory().toString()));
        LauncherOptions.Builder launcher = LauncherOptions.builder()
                .handshake(new LauncherOptions.Handshake(LAUNCHER_READY_FD, LAUNCHER_GO_FD))
                .command(command);
        if (options.supervision().isPresent()) {
            options.supervision().get().confinement().accept(launcher);
        } else if (options.mode() == TracingMode.SECCOMP) {
            launcher.traceSeccomp();
            if (!ProcStatus.self().hasEffectiveCapability(ProcStatus.CAP_SYS_ADMIN)) {
                launcher.noNewPrivs();
            }
        }
        LauncherCommand start = LauncherCommand.of(launcher.build(), options.environment());
        int pid = spawn(io, start.executable(), actions, start.argv(), start.environment(), childEnds,
                List.of(ready.readFd(), go.writeFd()), "the launcher JVM " + start.executable());
        int tid = readTid(ready.readFd());
        libc.close(ready.readFd());
        if (tid <= 0) {
            libc.close(go.writeFd());
            recordLauncherExit(libc.waitpid(pid, Wait.WALL));
            return 0;
        }
        seize(pid, tid, go.writeFd());
        return tid;
    }

    /**
     * A traced process whose parent exits is re-parented to the nearest subreaper, normally init; where init does
     * not reap (many containers), a killed or exiting orphan would stay a zombie. While tracing, this process is
     * the subreaper: orphans of the traced tree then become its children, and the tracer reaps them.
     */
    private synchronized void becomeSubreaper() {
        libc.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        subreaperSet = true;
    }

    private int readTid(int fd) {
        byte[] buffer = new byte[32];
        int length = 0;
        while (length < buffer.length) {
            byte[] one = new byte[buffer.length - length];
            int n;
            try {
                n = libc.read(fd, one, one.length);
            } catch (LinuxException e) {
                if (e.is(Errno.EINTR)) {
                    continue;
                }
                throw e;
            }
            if (n == 0) {
                break;
            }
            System.arraycopy(one, 0, buffer, length, n);
            length += n;
            if (buffer[length - 1] == '\n') {
                return Integer.parseInt(new String(buffer, 0, length - 1, StandardCharsets.US_ASCII));
            }
        }
        return 0;
    }

    private void loop() {
        int waitOptions = Wait.WALL | Wait.WNOTHREAD;
        while (true) {
            WaitStatus status;
            try {
                status = libc.waitpid(-1, waitOptions);
            } catch (LinuxException e) {
                if (e.is(Errno.EINTR)) {
                    continue;
                }
                if (e.is(Errno.ECHILD)) {
                    return;
                }
                throw e;
            }
            int tid = status.pid();
            if (status.exited() || status.signaled()) {
                exited(tid, status);
            } else if (status.stopped()) {
                stopped(tid, status);
            }
        }
    }

    private void exited(int tid, WaitStatus status) {
        tracees.remove(tid);
        awaitingExit.remove(tid);
        live.remove(tid);
        if (tid == launcherPid) {
            recordLauncherExit(status);
        }
    }

    private void recordLauncherExit(WaitStatus status) {
        exitStatus = status.shellExitStatus();
        signal = status.signaled() ? Signals.name(status.terminationSignal()) : "";
    }

    private void stopped(int tid, WaitStatus status) {
        Tracee tracee = tracees.get(tid);
        if (tracee == null) {
            tracee = adopt(tid);
        }
        if (killRequested) {
            killQuietly(tid);
            return;
        }
        int stopSignal = status.stopSignal();
        int event = status.ptraceEvent();
        if (event == Ptrace.EVENT_SECCOMP) {
            if (tracee.component != null) {
                SyscallInfo info = recordSyscall(tracee);
                if (info != null && options.supervision().isPresent()) {
                    supervise(tracee, info);
                }
            }
            resume(tracee, 0);
        } else if (stopSignal == Ptrace.SYSCALL_STOP_SIGNAL && tid == filterPending) {
            filterPending = 0;
            resume(tracee, installFilter(tid));
        } else if (stopSignal == Ptrace.SYSCALL_STOP_SIGNAL && options.supervision().isPresent()) {
            SyscallStop pending = awaitingExit.remove(tid);
            if (pending != null) {
                try {
                    options.supervision().get().observer().atSyscallExit(pending, libc.ptraceGetSyscallInfo(tid));
                } catch (LinuxException e) {
                    // Killed while stopped; its exit is reported next.
                }
            }
            resume(tracee, 0);
        } else if (stopSignal == Ptrace.SYSCALL_STOP_SIGNAL) {
            if (tracee.component != null) {
                recordSyscall(tracee);
            }
            resume(tracee, 0);
        } else if (event == Ptrace.EVENT_FORK || event == Ptrace.EVENT_VFORK || event == Ptrace.EVENT_CLONE) {
            forked(tracee);
            resume(tracee, 0);
        } else if (event == Ptrace.EVENT_EXEC) {
            tracee = executed(tracee);
            if (tracee != null && tracee.tid == filterPending) {
                // On to the exec's syscall exit, where the new image is in place and not one instruction has run.
                ptraceQuietly(Ptrace.SYSCALL, tracee.tid, 0);
            } else if (tracee != null) {
                resume(tracee, 0);
            }
        } else if (event == Ptrace.EVENT_STOP) {
            if (Signals.isStopSignal(stopSignal)) {
                // Group-stop: stay stopped, as job control asked, but let the tracer hear of SIGCONT.
                ptraceQuietly(Ptrace.LISTEN, tid, 0);
            } else {
                resume(tracee, 0);
            }
        } else if (event != 0) {
            resume(tracee, 0);
        } else {
            // Signal-delivery-stop: deliver the signal as if nobody were watching.
            resume(tracee, stopSignal);
        }
    }

    /** Installs the tracing filter in the command; returns a signal to deliver as it resumes. */
    private int installFilter(int tid) {
        boolean noNewPrivs = !ProcStatus.self().hasEffectiveCapability(ProcStatus.CAP_SYS_ADMIN);
        try {
            return TraceeSeccomp.of(libc, linux.arch()).install(tid, SeccompPrograms.traceEverything(), noNewPrivs);
        } catch (LinuxException e) {
            throw new RecordException("cannot install the tracing filter in " + command.get(0) + ": " + e.getMessage()
                    + "; record with -Dsandbox.tracer=ptrace, which needs no seccomp", e);
        }
    }

    /** A task whose first report arrived before its parent's fork event, or without one. */
    private Tracee adopt(int tid) {
        ComponentBuilder component = commandStarted ? componentOf(tid).orElse(null) : null;
        Tracee tracee = new Tracee(tid, component, !commandStarted);
        tracees.put(tid, tracee);
        live.add(tid);
        everSeen.add(tid);
        if (killRequested) {
            killQuietly(tid);
        }
        return tracee;
    }

    private void forked(Tracee parent) {
        long child;
        try {
            child = libc.ptraceGetEventMessage(parent.tid);
        } catch (LinuxException e) {
            return;
        }
        int childTid = (int) child;
        if (!tracees.containsKey(childTid)) {
            tracees.put(childTid, new Tracee(childTid, parent.component, parent.launcher));
            live.add(childTid);
            everSeen.add(childTid);
        }
    }

    /**
     * After an exec the task runs a new image: a new component. A non-leader thread that execs takes over the
     * leader's id, so the tracee may have to move.
     */
    private Tracee executed(Tracee tracee) {
        int tid = tracee.tid;
        try {
            int former = (int) libc.ptraceGetEventMessage(tid);
            if (former != tid) {
                Tracee moved = tracees.remove(former);
                live.remove(former);
                awaitingExit.remove(former);
                if (moved != null) {
                    moved.tid = tid;
                    tracee = moved;
                    tracees.put(tid, tracee);
                }
            }
        } catch (LinuxException e) {
            return null;
        }
        boolean first = tracee.launcher;
        if (first) {
            commandStarted = true;
            tracee.launcher = false;
        }
        tracee.component = componentOf(tid).orElse(null);
        if (first && tracee.component != null) {
            tracee.component.count("execve");
            tracee.component.path(executable.toAbsolutePath().normalize().toString(), FileAccess.EXECUTE);
        }
        return tracee;
    }

    private Optional<ComponentBuilder> componentOf(int tid) {
        try {
            String exe = Files.readSymbolicLink(Path.of("/proc", Integer.toString(tid), "exe")).toString();
            return Optional.of(components.computeIfAbsent(exe, ComponentBuilder::new));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records the call the tracee stopped at and returns it; null when it cannot be read (the tracee died). */
    private SyscallInfo recordSyscall(Tracee tracee) {
        SyscallInfo info;
        try {
            info = libc.ptraceGetSyscallInfo(tracee.tid);
        } catch (LinuxException e) {
            return null;
        }
        if (info.stop() == SyscallInfo.Stop.SECCOMP || info.stop() == SyscallInfo.Stop.ENTRY) {
            recorder.record(tracee.tid, tracee.component, info);
            return info;
        }
        return null;
    }

    private void supervise(Tracee tracee, SyscallInfo info) {
        SyscallStop stop = new SyscallStop(tracee.tid, tracee.component.executable(),
                recorder.name(info), info, recorder);
        if (options.supervision().get().observer().atSeccompStop(stop)) {
            awaitingExit.put(tracee.tid, stop);
        }
    }

    /**
     * Resumes a tracee. {@code PTRACE_SYSCALL} from a seccomp stop makes the call's exit stop too, which is how a
     * supervised call's result is seen; a tracee awaiting that keeps being resumed so through any event stop (an
     * {@code execve} reports its exec event first).
     */
    private void resume(Tracee tracee, int deliver) {
        boolean stepping = options.mode() == TracingMode.SYSCALL && !tracee.launcher;
        int request = stepping || awaitingExit.containsKey(tracee.tid) ? Ptrace.SYSCALL : Ptrace.CONT;
        ptraceQuietly(request, tracee.tid, deliver);
    }

    private void ptraceQuietly(int request, int tid, int data) {
        try {
            libc.ptrace(request, tid, 0, data);
        } catch (LinuxException e) {
            if (!e.is(Errno.ESRCH)) {
                throw e;
            }
            // Killed while stopped; its exit is reported next.
        }
    }

    /**
     * The tracer itself failed: kill everything it traces and reap it, so that no stopped tracee or zombie
     * outlives the failure.
     */
    private void abandon() {
        if (launcherPid <= 0) {
            return;
        }
        kill();
        while (true) {
            try {
                libc.waitpid(-1, Wait.WALL | Wait.WNOTHREAD);
            } catch (LinuxException e) {
                if (!e.is(Errno.EINTR)) {
                    return;
                }
            }
        }
    }

    /**
     * Reaps the orphans this process inherited as subreaper. Orphans still traced were reaped with the traced tree;
     * these are the ones that had already exited (their exit consumed by the tracer) when their parent died.
     */
    private synchronized void reapOrphans() {
        finished = true;
        if (!subreaperSet) {
            return;
        }
        for (int pid : everSeen) {
            try {
                libc.waitpid(pid, Wait.WALL | Wait.WNOHANG);
            } catch (LinuxException e) {
                // Not our child: reaped by its own parent already.
            }
        }
        libc.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    }
}
