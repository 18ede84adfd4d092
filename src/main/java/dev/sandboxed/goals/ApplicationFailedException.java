package dev.sandboxed.goals;

/** The integration run itself failed (non-zero exit, killed, timed out): something the user must look at. */
public class ApplicationFailedException extends RuntimeException {

    public ApplicationFailedException(String message) {
        super(message);
    }
}
