package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Recording;

import java.util.List;
import java.util.Objects;

/**
 * Records what a command does by tracing it with ptrace: every system call of every process and thread it
 * starts, per executable, with the arguments, files and addresses a least-privilege policy is built from.
 * The command runs unmodified; only its speed changes.
 */
public final class PtraceRecorder {

    private final Linux linux;

    public PtraceRecorder(Linux linux) {
        this.linux = Objects.requireNonNull(linux, "linux");
    }

    /** Runs {@code command} to its end (or its timeout) and returns what it did. */
    public Recording record(List<String> command, RecordOptions options) {
        return start(command, options).await();
    }

    /** Starts tracing {@code command}; the session is awaited or cancelled by the caller. */
    public RecordingSession start(List<String> command, RecordOptions options) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(options, "options");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program");
        }
        return RecordingSession.start(new Tracer(linux, command, options), command, options);
    }
}
