package dev.sandboxed.linux;

/** {@code prctl(2)} options used by the sandbox. */
public final class Prctl {

    public static final int PR_SET_PDEATHSIG = 1;
    public static final int PR_GET_PDEATHSIG = 2;
    public static final int PR_GET_DUMPABLE = 3;
    public static final int PR_SET_NAME = 15;
    public static final int PR_GET_NAME = 16;
    public static final int PR_GET_SECCOMP = 21;
    public static final int PR_SET_SECCOMP = 22;
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_CHILD_SUBREAPER = 37;
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_GET_NO_NEW_PRIVS = 39;

    private Prctl() {
    }
}
