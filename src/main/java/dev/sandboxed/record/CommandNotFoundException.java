package dev.sandboxed.record;

/** The command to trace does not name an executable file. */
public class CommandNotFoundException extends RecordException {

    private final String command;

    public CommandNotFoundException(String command, String searched) {
        super("command not found: " + command + " (searched " + searched + ")");
        this.command = command;
    }

    public String command() {
        return command;
    }
}
