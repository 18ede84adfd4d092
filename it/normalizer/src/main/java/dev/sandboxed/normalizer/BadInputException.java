package dev.sandboxed.normalizer;

import java.io.IOException;

/**
 * An input recording this program cannot normalize. Separate from other I/O failures because it is the user's
 * data, not the machine, that has to change: it maps to exit code 3.
 */
public class BadInputException extends IOException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
