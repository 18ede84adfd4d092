package dev.sandboxed.record;

import dev.sandboxed.linux.Executables;
import dev.sandboxed.linux.LinuxLibC;
import dev.sandboxed.linux.OpenFlags;
import dev.sandboxed.linux.Pipe;
import dev.sandboxed.linux.SpawnAction;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every recorder does around the command it starts, whichever way it traces: find the executable, give the
 * command its output pipes (or let it inherit this process's streams), pump the lines to the build log and the
 * optional copy file, and start it through {@code /bin/sh} held on a pipe until the recorder is ready. One run's
 * worth; {@link #close()} releases the copy file.
 */
final class CommandIo implements AutoCloseable {

    static final String SHELL = "/bin/sh";
    /** Where a launcher finds its end of the go pipe. */
    static final int GO_FD = 3;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int FIRST_FREE_FD = 10;

    private final LinuxLibC libc;
    private final List<String> command;
    private final RecordOptions options;
    private final Optional<OutputStream> copy;
    private final List<OutputPump> pumps = new ArrayList<>();

    private CommandIo(LinuxLibC libc, List<String> command, RecordOptions options, Optional<OutputStream> copy) {
        this.libc = libc;
        this.command = command;
        this.options = options;
        this.copy = copy;
    }

    /** Opens the copy file, if the options name one. */
    static CommandIo open(LinuxLibC libc, List<String> command, RecordOptions options) {
        Optional<Path> file = options.outputFile();
        try {
            return new CommandIo(libc, command, options, file.isPresent()
                    ? Optional.of(Files.newOutputStream(file.get())) : Optional.empty());
        } catch (IOException e) {
            throw new RecordException("cannot write the output copy " + file.orElseThrow() + ": " + e.getMessage(), e);
        }
    }

    /** The command's program, as the kernel will find it, or a {@link CommandNotFoundException} saying where we looked. */
    static Path executable(List<String> command, RecordOptions options) {
        Map<String, String> environment = options.environment();
        return Executables.resolve(command.get(0), environment.get("PATH"), options.workingDirectory())
                .orElseThrow(() -> new CommandNotFoundException(command.get(0), command.get(0).contains("/")
                        ? options.workingDirectory().toString() : "PATH=" + environment.getOrDefault("PATH", "")));
    }

    static boolean shellAvailable() {
        return Files.isExecutable(Path.of(SHELL));
    }

    /**
     * The shell launcher's argument vector: it blocks reading {@link #GO_FD} until the recorder writes a line, then
     * execs {@code executable} with the command's arguments, the pipe closed. dash exports a {@code PWD} of its own;
     * the script drops it again where the command's environment had none, so the command sees exactly its own.
     */
    List<String> shellArgv(Path executable) {
        String script = "read -r _ <&" + GO_FD + " || exit 127; exec " + GO_FD + "<&-; "
                + (options.environment().containsKey("PWD") ? "" : "unset PWD; ") + "exec \"$0\" \"$@\"";
        List<String> argv = new ArrayList<>(List.of(SHELL, "-c", script, executable.toString()));
        argv.addAll(command.subList(1, command.size()));
        return argv;
    }

    /** The command's environment as {@code NAME=VALUE} strings. */
    List<String> environment() {
        List<String> environment = new ArrayList<>();
        options.environment().forEach((name, value) -> environment.add(name + "=" + value));
        return environment;
    }

    /**
     * Adds the spawn actions that give the child {@code /dev/null} as stdin and a pipe each for stdout and stderr,
     * whose write ends go to {@code childEnds} (closed by the caller after the spawn); nothing when the command
     * inherits this process's streams.
     */
    void redirect(List<SpawnAction> actions, List<Integer> childEnds) {
        if (options.output().isEmpty()) {
            return;
        }
        actions.add(SpawnAction.open(0, "/dev/null", OpenFlags.O_RDONLY, 0));
        OutputLines.Stream[] streams = OutputLines.Stream.values();
        for (int i = 0; i < streams.length; i++) {
            Pipe pipe = libc.pipe2(OpenFlags.O_CLOEXEC);
            int write = aboveStandardFds(pipe.writeFd());
            childEnds.add(write);
            actions.add(SpawnAction.dup2(write, i + 1));
            pumps.add(new OutputPump(libc, pipe.readFd(), streams[i], options.output().get(), copy));
        }
    }

    /** A pipe end moved above the fds a child gets fixed numbers for, so a {@code dup2} onto those cannot clobber it. */
    int aboveStandardFds(int fd) {
        if (fd >= FIRST_FREE_FD) {
            return fd;
        }
        int moved = libc.fcntl(fd, F_DUPFD_CLOEXEC, FIRST_FREE_FD);
        libc.close(fd);
        return moved;
    }

    /** Once the child runs: its output is read from here on. */
    void startPumps() {
        pumps.forEach(OutputPump::start);
    }

    /** The child never started: the pumps' pipe ends are closed without reading. */
    void discardPumps() {
        pumps.forEach(OutputPump::closeUnstarted);
        pumps.clear();
    }

    /** Waits for the last output lines; briefly when the tree was killed, as orphans may hold the pipes open. */
    void awaitOutput(boolean killed) {
        for (OutputPump pump : pumps) {
            try {
                pump.join(killed ? 2000 : 60000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The command never got to run: what its launcher said, for the message. */
    LaunchFailedException launchFailed(String launcher, int exitStatus, String signal) {
        List<String> said = new ArrayList<>();
        pumps.forEach(pump -> said.addAll(pump.tail()));
        String detail = said.isEmpty()
                ? (options.output().isPresent() ? "it printed nothing" : "see its message above")
                : String.join(" | ", said);
        return new LaunchFailedException("the command " + command.get(0) + " did not start: " + launcher + " exited with "
                + exitStatus + (signal.isEmpty() ? "" : " (" + signal + ")") + ": " + detail, exitStatus);
    }

    @Override
    public void close() {
        copy.ifPresent(out -> {
            try {
                out.close();
            } catch (IOException e) {
                // Reported by the writes already lost; nothing more to do.
            }
        });
    }
}
