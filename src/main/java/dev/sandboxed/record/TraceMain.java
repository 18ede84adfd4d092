package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.UnsupportedArchitectureException;
import dev.sandboxed.policy.Recording;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Command line entry: {@code TraceMain --output FILE [--append] [--mode seccomp|ptrace|ebpf] [--pin] [--timeout SECONDS]
 * -- command args...}. Runs the command traced with this process's stdin, stdout and stderr (so it can stand in
 * for a forked test JVM that talks to its parent over them), writes the recording, and exits with the command's
 * own status. With {@code --append} the run is merged into an existing recording under a file lock, as parallel
 * test forks share one file.
 *
 * <p>Its own failures exit with {@value #EXIT_COMMAND_NOT_FOUND} (command not found) or {@value #EXIT_TRACER_FAILED}
 * and print one line starting with {@code sandbox trace:}. When the JVM is asked to stop (SIGTERM, Ctrl-C) the
 * traced tree is killed and what was recorded is still written, marked interrupted.
 */
public final class TraceMain {

    public static final int EXIT_COMMAND_NOT_FOUND = 127;
    public static final int EXIT_TRACER_FAILED = 125;
    private static final String PREFIX = "sandbox trace: ";

    private record Arguments(Path output, boolean append, TracingMode mode, boolean pin, Duration timeout,
                             List<String> command) {
    }

    private TraceMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.err);
        System.err.flush();
        System.exit(status);
    }

    static int run(String[] args, PrintStream err) {
        Arguments arguments;
        try {
            arguments = parse(List.of(args));
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            err.println(PREFIX + "usage: TraceMain --output FILE [--append] [--mode seccomp|ptrace|ebpf] [--pin] "
                    + "[--timeout SECONDS] -- command args...");
            return EXIT_TRACER_FAILED;
        }
        try {
            RecordOptions.Builder options = RecordOptions.builder().mode(arguments.mode()).pinToOneCpu(arguments.pin());
            if (arguments.timeout() != null) {
                options.timeout(arguments.timeout());
            }
            RecordingSession session = new PtraceRecorder(Linux.load()).start(arguments.command(), options.build());
            session.notice().ifPresent(notice -> err.println(PREFIX + notice));
            AtomicBoolean written = new AtomicBoolean();
            Thread onShutdown = new Thread(() -> {
                session.cancel();
                try {
                    writeOnce(written, arguments, session.await());
                } catch (RuntimeException e) {
                    // The tracer failed; the main thread reports it, and there is no recording to write.
                }
            }, "sandbox-trace-shutdown");
            Runtime.getRuntime().addShutdownHook(onShutdown);
            Recording recording = session.await();
            writeOnce(written, arguments, recording);
            try {
                Runtime.getRuntime().removeShutdownHook(onShutdown);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or ran; the recording is written either way.
            }
            return recording.runs().get(0).exitStatus();
        } catch (CommandNotFoundException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_COMMAND_NOT_FOUND;
        } catch (RecordException | UnsupportedArchitectureException | UncheckedIOException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_TRACER_FAILED;
        }
    }

    /**
     * Writes once, whoever comes first: the main thread or the shutdown hook. Synchronized so that a hook arriving
     * while the main thread writes waits for it; the JVM halts when the hook returns.
     */
    private static void writeOnce(AtomicBoolean written, Arguments arguments, Recording recording) {
        synchronized (written) {
            if (written.compareAndSet(false, true)) {
                RecordingStore.write(arguments.output(), recording, arguments.append());
            }
        }
    }

    private static Arguments parse(List<String> args) {
        Path output = null;
        boolean append = false;
        TracingMode mode = TracingMode.SECCOMP;
        boolean pin = false;
        Duration timeout = null;
        int i = 0;
        while (i < args.size() && !args.get(i).equals("--")) {
            String option = args.get(i);
            switch (option) {
                case "--append" -> append = true;
                case "--pin" -> pin = true;
                case "--output", "--mode", "--timeout" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    String value = args.get(++i);
                    switch (option) {
                        case "--output" -> output = Path.of(value);
                        case "--mode" -> mode = switch (value) {
                            case "seccomp" -> TracingMode.SECCOMP;
                            case "ptrace" -> TracingMode.SYSCALL;
                            case "ebpf" -> TracingMode.EBPF;
                            default -> throw new IllegalArgumentException("--mode is seccomp, ptrace or ebpf, not " + value);
                        };
                        default -> {
                            try {
                                timeout = Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException("--timeout wants seconds, got " + value);
                            }
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
            i++;
        }
        if (output == null) {
            throw new IllegalArgumentException("--output FILE is required");
        }
        if (i >= args.size() - 1) {
            throw new IllegalArgumentException("no command: pass it after --");
        }
        return new Arguments(output, append, mode, pin, timeout, new ArrayList<>(args.subList(i + 1, args.size())));
    }
}
