package dev.sandboxed.normalizer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How normalizing one input ended.
 *
 * @param exitCode 0 on success, otherwise the process exit code this failure calls for
 * @param message what went wrong, or a one-line summary of what was written
 * @param report the report, present on success
 */
public record FileOutcome(Path input, int exitCode, String message, Optional<FileReport> report) {
    public FileOutcome {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(report, "report");
    }

    public boolean succeeded() {
        return exitCode == 0;
    }
}
