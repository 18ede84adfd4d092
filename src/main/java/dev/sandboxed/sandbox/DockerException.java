package dev.sandboxed.sandbox;

/** A docker CLI command failed for a reason other than the application under test. */
public class DockerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DockerException(String message) {
        super(message);
    }

    public DockerException(String message, Throwable cause) {
        super(message, cause);
    }
}
