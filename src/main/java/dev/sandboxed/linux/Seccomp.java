package dev.sandboxed.linux;

/** {@code seccomp(2)} operations, filter flags and filter return actions. */
public final class Seccomp {

    public static final int SET_MODE_STRICT = 0;
    public static final int SET_MODE_FILTER = 1;
    public static final int GET_ACTION_AVAIL = 2;
    public static final int GET_NOTIF_SIZES = 3;

    /** Install on every thread of the process, not just the caller. */
    public static final int FILTER_FLAG_TSYNC = 1;
    public static final int FILTER_FLAG_LOG = 2;
    public static final int FILTER_FLAG_SPEC_ALLOW = 4;
    /** Return a user-notification listener fd. */
    public static final int FILTER_FLAG_NEW_LISTENER = 8;
    /** With TSYNC: fail with ESRCH instead of returning a thread id, so TSYNC can be combined with NEW_LISTENER. */
    public static final int FILTER_FLAG_TSYNC_ESRCH = 16;
    public static final int FILTER_FLAG_WAIT_KILLABLE_RECV = 32;

    public static final int RET_KILL_PROCESS = 0x80000000;
    public static final int RET_KILL_THREAD = 0;
    public static final int RET_TRAP = 0x00030000;
    public static final int RET_ERRNO = 0x00050000;
    public static final int RET_USER_NOTIF = 0x7fc00000;
    public static final int RET_TRACE = 0x7ff00000;
    public static final int RET_LOG = 0x7ffc0000;
    public static final int RET_ALLOW = 0x7fff0000;

    /** {@code PR_GET_SECCOMP} / {@code /proc/PID/status} {@code Seccomp:} value of a filtered task. */
    public static final int MODE_FILTER = 2;

    /** Size in bytes of one {@code struct sock_filter} instruction. */
    public static final int INSTRUCTION_SIZE = 8;
    /** The kernel's limit on instructions per filter ({@code BPF_MAXINSNS}). */
    public static final int MAX_INSTRUCTIONS = 4096;

    private Seccomp() {
    }
}
