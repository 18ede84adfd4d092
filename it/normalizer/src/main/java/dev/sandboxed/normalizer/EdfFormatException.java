package dev.sandboxed.normalizer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file that is not a recording this program can read. Names the file, the EDF field and the byte offset so
 * that the user can open the file in a hex viewer and see the problem.
 */
public final class EdfFormatException extends BadInputException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String field;
    private final long offset;

    public EdfFormatException(Path file, String field, long offset, String problem) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(field, "field")
                + " at byte offset " + offset + ": " + Objects.requireNonNull(problem, "problem"));
        this.file = file;
        this.field = field;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public String field() {
        return field;
    }

    public long offset() {
        return offset;
    }
}
