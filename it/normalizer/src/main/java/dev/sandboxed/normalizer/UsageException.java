package dev.sandboxed.normalizer;

/**
 * The command line asks for something this program cannot do. Kept apart from input errors because the two
 * have different exit codes (2 versus 3) and only usage errors deserve the usage text.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
