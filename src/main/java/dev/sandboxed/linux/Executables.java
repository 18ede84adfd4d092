package dev.sandboxed.linux;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the file a command name refers to, as {@code execvp} would, so "not found" is reported before spawning. */
public final class Executables {

    private Executables() {
    }

    /**
     * The executable {@code command} names: itself when it contains a slash (relative to {@code workingDirectory}),
     * otherwise the first executable regular file of that name in {@code pathVariable}'s directories.
     */
    public static Optional<Path> resolve(String command, String pathVariable, Path workingDirectory) {
        if (command.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (command.indexOf('/') >= 0) {
                Path path = workingDirectory.resolve(command);
                return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
            }
            String search = pathVariable == null ? "/usr/local/bin:/usr/bin:/bin" : pathVariable;
            for (String directory : search.split(":", -1)) {
                Path candidate = workingDirectory.resolve(directory.isEmpty() ? "." : directory).resolve(command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
