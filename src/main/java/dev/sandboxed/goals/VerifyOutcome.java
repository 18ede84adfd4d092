package dev.sandboxed.goals;

/** How a verify run ended, in the terms that decide what the user must do. */
public enum VerifyOutcome {
    /** The application ran to a successful end and nothing was refused. */
    PASSED,
    /**
     * The sandbox stopped or refused something: a system call, a file access, a process limit, or a seccomp kill.
     * The policy (or the application) needs a change.
     */
    VIOLATIONS,
    /** The application failed (non-zero exit) while nothing was refused: its own failure, not the sandbox's. */
    APPLICATION_FAILED,
    /** The run proved nothing: no engine, no image, the sandbox could not be set up, a timeout, an interrupt. */
    INFRASTRUCTURE_FAILED
}
