package dev.sandboxed.linux;

/** Flags and id types of {@code waitpid(2)} and {@code waitid(2)}. */
public final class Wait {

    public static final int WNOHANG = 0x1;
    public static final int WUNTRACED = 0x2;
    public static final int WSTOPPED = 0x2;
    public static final int WEXITED = 0x4;
    public static final int WCONTINUED = 0x8;
    public static final int WNOWAIT = 0x01000000;
    /** Only children (and tracees) of the calling thread, not of its sibling threads. */
    public static final int WNOTHREAD = 0x20000000;
    /** Every child, whatever signal it reports its exit with: needed to see threads of a tracee. */
    public static final int WALL = 0x40000000;

    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int P_PGID = 2;
    public static final int P_PIDFD = 3;

    private Wait() {
    }
}
