package dev.sandboxed.record;

/** The kernel refused to let this process trace its own child; the message names the reason found. */
public class PtraceNotPermittedException extends RecordException {

    public PtraceNotPermittedException(String message, Throwable cause) {
        super(message, cause);
    }
}
