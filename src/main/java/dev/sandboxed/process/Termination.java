package dev.sandboxed.process;

/** How a run of an external program ended, so callers never mistake a killed program for a finished one. */
public enum Termination {
    /** The program ended by itself; its exit code is meaningful. */
    EXITED,
    /** The program outlived its timeout; it and every descendant were killed. */
    TIMED_OUT,
    /** The waiting thread was interrupted (Ctrl-C, a cancelled build); the program tree was killed. */
    INTERRUPTED
}
