package dev.sandboxed.linux;

/**
 * A failed system call or libc function. Carries the errno so callers can tell an expected race (a tracee
 * that died: {@link Errno#ESRCH}) from a real failure without parsing messages.
 */
public class LinuxException extends RuntimeException {

    private final String operation;
    private final int errno;

    public LinuxException(String operation, int errno, String description) {
        super(operation + ": " + Errno.name(errno) + " (" + description + ")");
        this.operation = operation;
        this.errno = errno;
    }

    /** The call that failed with its interesting arguments, such as {@code ptrace(PTRACE_SEIZE, 42)}. */
    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    public boolean is(int expected) {
        return errno == expected;
    }
}
