package dev.sandboxed.policy;

import java.nio.file.Path;
import java.util.Objects;

/** A place in an input file, for messages that tell the user exactly where to look. 0 means unknown. */
public record Location(Path file, int line, int column) {

    public Location {
        Objects.requireNonNull(file, "file");
    }

    public static Location of(Path file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file.toString();
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
