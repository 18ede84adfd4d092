package dev.sandboxed.goals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The integration run that {@code record} traces and {@code verify} re-runs: the same description for both, so the
 * policy is checked against exactly what was recorded.
 *
 * @param command the program and its arguments (a Java main is already expanded into a {@code java} command)
 * @param workingDirectory where it runs
 * @param environment variables added to (and overriding) the build's environment
 * @param timeout how long it may run before the whole process tree is killed
 * @param logFile where its output is also copied, if anywhere
 */
public record Application(List<String> command, Path workingDirectory, Map<String, String> environment,
                          Duration timeout, Optional<Path> logFile) {

    public Application {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(logFile, "logFile");
    }

    /** The command as one line, for logs and for the recording's run entry. */
    public String commandLine() {
        return String.join(" ", command);
    }
}
