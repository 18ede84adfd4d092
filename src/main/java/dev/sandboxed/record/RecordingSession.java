package dev.sandboxed.record;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import dev.sandboxed.syscall.Arch;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One traced run in progress. The tracer runs on a thread of its own; {@link #cancel()} may be called from any
 * thread (a shutdown hook, a watchdog) and kills the whole traced tree.
 */
public final class RecordingSession {

    private final TraceBackend tracer;
    private final String commandLine;
    private final String backend;
    private final Optional<String> notice;
    private final CountDownLatch done = new CountDownLatch(1);
    private final long startNanos = System.nanoTime();
    private volatile Tracer.Outcome outcome;
    private volatile RuntimeException failure;
    private volatile long endNanos;
    private volatile boolean cancelled;

    private RecordingSession(TraceBackend tracer, List<String> command, RecordOptions options, Optional<String> notice) {
        this.tracer = tracer;
        this.commandLine = command.stream().map(RecordingSession::quote).collect(Collectors.joining(" "));
        this.backend = options.mode().backend();
        this.notice = notice;
    }

    static RecordingSession start(TraceBackend tracer, List<String> command, RecordOptions options) {
        return start(tracer, command, options, Optional.empty());
    }

    /** @param notice one line the user should read, such as why the requested backend was not used */
    static RecordingSession start(TraceBackend tracer, List<String> command, RecordOptions options,
                                  Optional<String> notice) {
        RecordingSession session = new RecordingSession(tracer, command, options, notice);
        Thread thread = new Thread(session::trace, "sandbox-tracer");
        thread.setDaemon(true);
        thread.start();
        options.timeout().ifPresent(timeout -> {
            Thread watchdog = new Thread(() -> {
                try {
                    if (!session.done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                        session.cancel();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sandbox-tracer-timeout");
            watchdog.setDaemon(true);
            watchdog.start();
        });
        return session;
    }

    private void trace() {
        try {
            outcome = tracer.run();
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException r ? r : new RecordException("tracer failed: " + e, e);
        } finally {
            endNanos = System.nanoTime();
            done.countDown();
        }
    }

    /** Kills the traced tree; the recording then returned by {@link #await()} is marked interrupted. */
    public void cancel() {
        cancelled = true;
        tracer.kill();
    }

    /** One line for the user about how this run is recorded, such as an eBPF request that fell back to ptrace. */
    public Optional<String> notice() {
        return notice;
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    /**
     * Waits for the run to end and returns its recording. Interrupting the waiting thread kills the traced tree;
     * the (interrupted) recording is still returned and the thread's interrupt flag stays set.
     *
     * @throws RecordException when the command could not be traced at all
     */
    public Recording await() {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                cancel();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        Tracer.Outcome result = Objects.requireNonNull(outcome, "outcome");
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
        Run run = new Run(commandLine, result.exitStatus(), result.signal(), wallMillis,
                cancelled || result.killed(), backend);
        Map<Arch, SortedMap<String, Component>> byArch = new TreeMap<>();
        if (!result.components().isEmpty()) {
            byArch.put(tracer.arch(), result.components());
        }
        return new Recording(List.of(run), new TreeMap<>(byArch));
    }

    /** Shell-style quoting, so the recorded command line can be pasted back into a shell. */
    static String quote(String argument) {
        if (!argument.isEmpty() && argument.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
