package dev.sandboxed.sandbox;

/** Recording in a container could not happen: no engine, no image, or the tracer inside failed to start. */
public class DockerRecordingException extends RuntimeException {

    public DockerRecordingException(String message) {
        super(message);
    }

    public DockerRecordingException(String message, Throwable cause) {
        super(message, cause);
    }
}
