package dev.sandboxed.record;

/** The launcher exited before the command started; carries what it printed. */
public class LaunchFailedException extends RecordException {

    private final int exitStatus;

    public LaunchFailedException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }
}
