package dev.sandboxed.process;

/** An external program did not exit with 0: it failed, timed out or was interrupted. */
public class ProcessFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ProcessResult result;

    public ProcessFailedException(ProcessResult result) {
        super(describe(result));
        this.result = result;
    }

    public ProcessResult result() {
        return result;
    }

    private static String describe(ProcessResult result) {
        String how = switch (result.termination()) {
            case EXITED -> "exited with " + result.exitCode();
            case TIMED_OUT -> "timed out after " + result.elapsed().toMillis() + " ms and was killed";
            case INTERRUPTED -> "was interrupted and killed";
        };
        String stderr = result.stderrText().strip();
        return "'" + result.command() + "' " + how + (stderr.isEmpty() ? "" : ": " + stderr);
    }
}
