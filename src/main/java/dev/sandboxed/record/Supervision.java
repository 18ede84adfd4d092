package dev.sandboxed.record;

import dev.sandboxed.linux.LauncherOptions;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs the traced command under a seccomp filter of the caller's own instead of one that stops at every call: only
 * the calls the filter answers with {@code SECCOMP_RET_TRACE} stop, and each stop is handed to an observer. This is
 * how {@code verify}'s complain mode sees every call its policy would refuse, with all arguments, while the run
 * goes on; the recording of such a run holds only the calls that stopped.
 *
 * @param confinement sets up the launcher: the filter ({@link LauncherOptions.Builder#seccompFilter}),
 *     no_new_privs, Landlock, a cgroup; the tracer adds its handshake and the command
 * @param observer told of each stop
 */
public record Supervision(Consumer<LauncherOptions.Builder> confinement, StopObserver observer) {

    public Supervision {
        Objects.requireNonNull(confinement, "confinement");
        Objects.requireNonNull(observer, "observer");
    }
}
