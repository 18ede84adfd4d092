package dev.sandboxed.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one native run ended.
 *
 * @param outcome how it ended, in the same terms as a container run
 * @param exitCode the application's exit code (128 + signal when a signal ended it), or -1 when it did not end
 *     by itself
 * @param detail a sentence for the build log: why it is classified so
 * @param elapsed wall-clock time of the run itself, from starting the launcher to the application's end (not the
 *     set-up around it: cgroup, filter compilation, reading the kernel log)
 * @param violations what the sandbox refused, with reasons the lists may be incomplete
 * @param notes what this machine could not enforce (no Landlock, no cgroup), one sentence each
 */
public record NativeRun(RunOutcome outcome, int exitCode, String detail, Duration elapsed, Violations violations,
                        List<String> notes) {

    public NativeRun {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(violations, "violations");
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
    }
}
