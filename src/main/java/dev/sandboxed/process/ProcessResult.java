package dev.sandboxed.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one run of an external program produced.
 *
 * @param command the command line, for messages
 * @param termination whether the program exited or was killed
 * @param exitCode the exit code when it {@link Termination#EXITED}; for a program killed by a signal the JVM
 *     reports 128 + signal; meaningless after a timeout or interruption
 * @param elapsed wall-clock time from start to the end of output
 * @param stdout the whole standard output when the command asked for it, else empty
 * @param stderrTail the last lines of standard error, kept so failures can say why
 */
public record ProcessResult(String command, Termination termination, int exitCode, Duration elapsed, String stdout,
                            List<String> stderrTail) {

    public ProcessResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(termination, "termination");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(stdout, "stdout");
        stderrTail = List.copyOf(Objects.requireNonNull(stderrTail, "stderrTail"));
    }

    public boolean succeeded() {
        return termination == Termination.EXITED && exitCode == 0;
    }

    /** This result if the program exited with 0, else a {@link ProcessFailedException} saying how it ended. */
    public ProcessResult requireSuccess() {
        if (!succeeded()) {
            throw new ProcessFailedException(this);
        }
        return this;
    }

    /** Standard error's last lines as one string, for messages. */
    public String stderrText() {
        return String.join("\n", stderrTail);
    }
}
