package dev.sandboxed.record;

/**
 * How the tracer is made to stop at system calls. Both record the same calls; they differ in cost.
 */
public enum TracingMode {
    /**
     * The launcher installs a filter answering {@code SECCOMP_RET_TRACE} to every call, and the tracer resumes with
     * {@code PTRACE_CONT}: one stop per syscall. The default, being the faster (see {@code RecordBenchmark}).
     */
    SECCOMP("seccomp-trace"),
    /** {@code PTRACE_SYSCALL}: two stops per syscall (entry and exit); needs no seccomp in the kernel. */
    SYSCALL("ptrace");

    private final String backend;

    TracingMode(String backend) {
        this.backend = backend;
    }

    /** The name recorded in {@link dev.sandboxed.policy.Run#backend()}. */
    public String backend() {
        return backend;
    }
}
