package dev.sandboxed.record;

/** The tracer could not record a run; the message says why and what to do. */
public class RecordException extends RuntimeException {

    public RecordException(String message) {
        super(message);
    }

    public RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
