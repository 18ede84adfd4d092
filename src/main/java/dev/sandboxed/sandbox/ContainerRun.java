package dev.sandboxed.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of one hardened container run.
 *
 * @param outcome how it ended
 * @param exitCode the container's exit code when it ran to an end, else -1
 * @param detail a sentence for the build log: why it is classified so
 * @param runId the value of the container's {@code dev.sandboxed.run} label
 * @param containerName the (already removed) container's name, to match log lines
 * @param elapsed wall-clock time from creating the container to having removed it
 * @param kernel what the kernel logged about it: seccomp records, the pids limit
 * @param changes what it wrote to its root filesystem; only listed for a {@linkplain ContainerSpec#withWritableRoot
 *     writable root}, empty otherwise
 */
public record ContainerRun(RunOutcome outcome, int exitCode, String detail, String runId, String containerName,
                           Duration elapsed, KernelEvents kernel, List<ContainerChange> changes) {

    /** The SIGSYS a seccomp kill action sends, as the engine reports it: 128 + 31. */
    public static final int SECCOMP_KILL_EXIT_CODE = 159;

    /** The thread name of runc's init process, which becomes the application when it executes it. */
    static final String RUNTIME_INIT_PREFIX = "runc:";

    public ContainerRun {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(kernel, "kernel");
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
    }

    public ContainerRun(RunOutcome outcome, int exitCode, String detail, String runId, String containerName,
                        Duration elapsed, KernelEvents kernel) {
        this(outcome, exitCode, detail, runId, containerName, elapsed, kernel, List.of());
    }

    ContainerRun withChanges(List<ContainerChange> found) {
        return new ContainerRun(outcome, exitCode, detail, runId, containerName, elapsed, kernel, found);
    }

    public static ContainerRun failed(String detail, String runId, String containerName, Duration elapsed) {
        return new ContainerRun(RunOutcome.INFRASTRUCTURE_FAILURE, -1, detail, runId, containerName, elapsed,
                KernelEvents.unavailable("the container did not run"));
    }

    /**
     * The violations the kernel logged for the container. Records of the container runtime's own init process
     * ({@code runc:[2:INIT]}) are left out: it makes a few calls of its own (chdir, epoll_ctl, fstatfs) between
     * installing the filter and starting the application, which the application's policy has no reason to allow.
     */
    public Violations violations() {
        List<SeccompAuditRecord> application = kernel.seccomp().stream()
                .filter(record -> !record.comm().startsWith(RUNTIME_INIT_PREFIX)).toList();
        return Violations.fromKernel(new KernelEvents(kernel.available(), application, kernel.pidsLimitReached(),
                kernel.warnings()));
    }
}
