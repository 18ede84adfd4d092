package dev.sandboxed.record;

/**
 * How system calls are observed. All record the same calls; they differ in cost and in what they need.
 */
public enum TracingMode {
    /**
     * The launcher installs a filter answering {@code SECCOMP_RET_TRACE} to every call, and the tracer resumes with
     * {@code PTRACE_CONT}: one stop per syscall. The default, being the faster (see {@code RecordBenchmark}).
     */
    SECCOMP("seccomp-trace"),
    /** {@code PTRACE_SYSCALL}: two stops per syscall (entry and exit); needs no seccomp in the kernel. */
    SYSCALL("ptrace"),
    /**
     * Programs on the {@code raw_syscalls/sys_enter} tracepoint count in the kernel and never stop the command:
     * near-zero overhead. Needs root (or CAP_BPF with CAP_PERFMON); where that is missing the recording falls back
     * to {@link #SECCOMP} and says so.
     */
    EBPF("ebpf");

    private final String backend;

    TracingMode(String backend) {
        this.backend = backend;
    }

    /** The name recorded in {@link dev.sandboxed.policy.Run#backend()}. */
    public String backend() {
        return backend;
    }
}
