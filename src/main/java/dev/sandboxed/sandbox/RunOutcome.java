package dev.sandboxed.sandbox;

/**
 * How a container run ended, from the verifier's point of view: only {@link #EXITED} and the limit and seccomp
 * outcomes say something about the application; the others say the run proved nothing.
 */
public enum RunOutcome {
    /** The application exited by itself; the exit code is its own. */
    EXITED,
    /** A seccomp kill action ended the application (SIGSYS, exit code 159). */
    KILLED_BY_SECCOMP,
    /** The memory limit was exceeded and the kernel's OOM killer ended a process. */
    OUT_OF_MEMORY,
    /** The pids limit refused a fork and the application failed. */
    PIDS_LIMIT,
    /** The application did not finish in time and the container was killed. */
    TIMED_OUT,
    /** The build was interrupted and the container was killed. */
    INTERRUPTED,
    /** The container could not be run: no engine, no image, a refused option. */
    INFRASTRUCTURE_FAILURE;

    /** True when the run tells nothing about the application's behaviour under the policy. */
    public boolean inconclusive() {
        return this == TIMED_OUT || this == INTERRUPTED || this == INFRASTRUCTURE_FAILURE;
    }
}
