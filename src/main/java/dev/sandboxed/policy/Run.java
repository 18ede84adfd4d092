package dev.sandboxed.policy;

import java.util.Objects;

/**
 * One traced run.
 *
 * @param command the command line, as the user configured it
 * @param exitStatus the exit code, or 128 + signal number when the run was killed by a signal
 * @param signal the terminating signal's name, or empty when the run exited normally
 * @param wallMillis wall-clock duration
 * @param interrupted true when the run was cut short (timeout, Ctrl-C, tracer failure): the recording is then
 *     known to be incomplete and must not be mistaken for a complete one
 * @param backend which tracer produced it ({@code ptrace}, {@code seccomp-trace}, {@code ebpf})
 */
public record Run(String command, int exitStatus, String signal, long wallMillis, boolean interrupted, String backend) {

    public Run {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(backend, "backend");
    }
}
