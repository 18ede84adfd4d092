package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Recording;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Records what a command does by tracing it with ptrace (or, with {@link TracingMode#EBPF}, with eBPF programs):
 * every system call of every process and thread it starts, per executable, with the arguments, files and
 * addresses a least-privilege policy is built from. The command runs unmodified; only its speed changes.
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
        if (options.mode() == TracingMode.EBPF) {
            return startEbpf(command, options);
        }
        return RecordingSession.start(new Tracer(linux, command, options), command, options);
    }

    /** eBPF where permitted; otherwise seccomp-assisted ptrace, with a notice saying why. */
    private RecordingSession startEbpf(List<String> command, RecordOptions options) {
        EbpfProbes probes;
        try {
            probes = EbpfProbes.attach(linux);
        } catch (EbpfUnavailableException e) {
            RecordOptions fallback = new RecordOptions(TracingMode.SECCOMP, options.pinToOneCpu(), options.timeout(),
                    options.workingDirectory(), options.environment(), options.output(), options.outputFile(),
                    options.supervision());
            return RecordingSession.start(new Tracer(linux, command, fallback), command, fallback, Optional.of(
                    "eBPF recording unavailable, recording with seccomp-assisted ptrace instead: " + e.getMessage()));
        }
        return RecordingSession.start(new EbpfTracer(linux, probes, command, options), command, options);
    }
}
