package dev.sandboxed.process;

/** The program to run does not exist or is not executable, so nothing was started. */
public class CommandNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String program;

    public CommandNotFoundException(String program, String detail) {
        super("command not found: " + program + " (" + detail + ")");
        this.program = program;
    }

    public String program() {
        return program;
    }
}
