package dev.sandboxed.process;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one place the project starts external programs. It exists so that every caller gets the same guarantees:
 * output is streamed line by line while the program runs (a build log shows progress, not a wall of text at the
 * end), a missing program is reported by name before anything starts, and a program that outlives its timeout or
 * whose caller is interrupted is killed together with everything it spawned, so no orphan keeps a container, a
 * file lock or a port alive after the build has moved on.
 */
public final class ProcessRunner {

    private static final int STDERR_TAIL_LINES = 40;
    /** How long to wait for output to drain once the program is gone; only an escaped grandchild holds it open. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);
    private static final int KILL_ROUNDS = 5;

    private ProcessRunner() {
    }

    public static ProcessRunner create() {
        return new ProcessRunner();
    }

    /**
     * Runs the command to completion, its timeout, or the calling thread's interruption. Never throws because the
     * program failed: the result says how it ended. After {@link Termination#INTERRUPTED} the thread's interrupt
     * flag is set again, so the caller's own cancellation logic still sees it.
     *
     * @throws CommandNotFoundException when the program cannot be found or executed
     */
    public ProcessResult run(Command command) {
        locate(command.program());
        ProcessBuilder builder = new ProcessBuilder(command.arguments());
        command.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
        if (!command.inheritsEnvironment()) {
            builder.environment().clear();
        }
        builder.environment().putAll(command.environment());
        if (command.inheritsIo()) {
            builder.inheritIO();
        } else {
            builder.redirectInput(command.stdin().map(Path::toFile)
                    .map(ProcessBuilder.Redirect::from)
                    .orElse(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        }

        try (LogFile log = LogFile.open(command.logFile())) {
            long started = System.nanoTime();
            Process process = start(builder, command);
            Deque<String> stderrTail = new ArrayDeque<>();
            StringBuilder captured = command.capturesStdout() ? new StringBuilder() : null;
            AtomicReference<RuntimeException> consumerFailure = new AtomicReference<>();
            Thread out = pump(process.getInputStream(), "stdout", command, consumerFailure, line -> {
                if (captured != null) {
                    synchronized (captured) {
                        captured.append(line).append('\n');
                    }
                }
                log.write(line);
                command.stdout().accept(line);
            });
            Thread err = pump(process.getErrorStream(), "stderr", command, consumerFailure, line -> {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                }
                log.write(line);
                command.stderr().accept(line);
            });

            Termination termination = await(process, command.timeout());
            if (termination != Termination.EXITED) {
                destroyTree(process);
            }
            drain(out, err);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            int exitCode = process.isAlive() ? -1 : process.exitValue();
            if (termination == Termination.INTERRUPTED) {
                Thread.currentThread().interrupt();
            }
            RuntimeException failure = consumerFailure.get();
            if (failure != null) {
                throw failure;
            }
            List<String> tail;
            synchronized (stderrTail) {
                tail = new ArrayList<>(stderrTail);
            }
            String stdout = "";
            if (captured != null) {
                synchronized (captured) {
                    stdout = captured.toString();
                }
            }
            return new ProcessResult(command.toString(), termination, exitCode, elapsed, stdout, tail);
        }
    }

    /**
     * Finds the program as {@code execvp} would, so a typo or a missing tool is named plainly rather than
     * surfacing as an {@code error=2} from deep inside the JDK.
     */
    public static Path locate(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new CommandNotFoundException(program, Files.exists(path) ? "not an executable file" : "no such file");
            }
            return path;
        }
        String searchPath = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        for (String directory : searchPath.split(":")) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new CommandNotFoundException(program, "searched PATH=" + searchPath);
    }

    private static Process start(ProcessBuilder builder, Command command) {
        try {
            return builder.start();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("error=2,") || message.contains("error=13,")) {
                throw new CommandNotFoundException(command.program(), message);
            }
            throw new UncheckedIOException("cannot start '" + command + "': " + message, e);
        }
    }

    private static Termination await(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Termination.EXITED : Termination.TIMED_OUT;
        } catch (InterruptedException e) {
            return Termination.INTERRUPTED;
        }
    }

    /**
     * Kills the program and its descendants. Descendants are listed while the root is still alive, because once a
     * parent dies its children are re-parented and can no longer be found from here; the listing is repeated so a
     * child forked during the previous round is caught too.
     */
    private static void destroyTree(Process process) {
        ProcessHandle root = process.toHandle();
        List<ProcessHandle> seen = new ArrayList<>();
        for (int round = 0; round < KILL_ROUNDS && root.isAlive(); round++) {
            List<ProcessHandle> descendants = root.descendants().toList();
            if (descendants.isEmpty()) {
                break;
            }
            seen.addAll(descendants);
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        root.destroyForcibly();
        seen.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = false;
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                process.waitFor(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(Thread... pumps) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        for (Thread pump : pumps) {
            long remaining = deadline - System.nanoTime();
            while (pump.isAlive() && remaining > 0) {
                try {
                    pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                remaining = deadline - System.nanoTime();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads one stream to its end. A failing line handler (a log that cannot be written, a consumer that throws)
     * stops delivery but not reading: a pipe nobody reads would block the program forever.
     */
    private static Thread pump(InputStream stream, String name, Command command,
                               AtomicReference<RuntimeException> failure, Consumer<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (failure.get() != null) {
                        continue;
                    }
                    try {
                        lines.accept(line);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }
            } catch (IOException e) {
                // The stream closes under us when the process tree is killed; the result already says why.
            }
        }, name + " of " + command.program());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Both streams of one run, appended line by line so the file is useful even if the build dies mid-run. */
    private static final class LogFile implements AutoCloseable {

        private final BufferedWriter writer;

        private LogFile(BufferedWriter writer) {
            this.writer = writer;
        }

        static LogFile open(Optional<Path> file) {
            if (file.isEmpty()) {
                return new LogFile(null);
            }
            try {
                Path parent = file.get().toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                return new LogFile(Files.newBufferedWriter(file.get(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the log file " + file.get() + ": " + e.getMessage(), e);
            }
        }

        synchronized void write(String line) {
            if (writer == null) {
                return;
            }
            try {
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the log file: " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            if (writer == null) {
                return;
            }
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the log file: " + e.getMessage(), e);
            }
        }
    }
}
