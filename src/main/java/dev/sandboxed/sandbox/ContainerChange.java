package dev.sandboxed.sandbox;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code docker diff}: a path the container added, changed or deleted in its own root filesystem.
 *
 * @param kind {@code A} (added), {@code C} (changed) or {@code D} (deleted)
 * @param path the absolute path inside the container
 */
public record ContainerChange(String kind, String path) {

    public ContainerChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        if (!kind.equals("A") && !kind.equals("C") && !kind.equals("D")) {
            throw new IllegalArgumentException("a change is A, C or D, got " + kind);
        }
    }

    /** Parses one line of {@code docker diff}; empty for a line that is not one. */
    static Optional<ContainerChange> parse(String line) {
        if (line.length() < 3 || line.charAt(1) != ' ' || "ACD".indexOf(line.charAt(0)) < 0) {
            return Optional.empty();
        }
        return Optional.of(new ContainerChange(line.substring(0, 1), line.substring(2)));
    }
}
