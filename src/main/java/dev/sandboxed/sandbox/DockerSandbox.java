package dev.sandboxed.sandbox;

import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.Termination;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs an application once in a hardened container under a seccomp policy and says how it ended, with the
 * kernel's record of what the policy stopped or logged.
 *
 * <p>Every container is labelled with a run id and with its owner (host, pid and start time of this JVM), and is
 * removed however the run ends: success, failure, timeout or interruption. A container left behind by a JVM that
 * died anyway is found by {@link #removeLeftovers()} through those labels, without touching containers that a
 * build still running owns.
 */
public final class DockerSandbox {

    public static final String RUN_LABEL = "dev.sandboxed.run";
    public static final String OWNER_LABEL = "dev.sandboxed.owner";

    /** How long the kernel log must be quiet after the container exits before reading stops. */
    private static final Duration KERNEL_QUIET = Duration.ofMillis(150);

    private final DockerCli docker;

    private DockerSandbox(DockerCli docker) {
        this.docker = docker;
    }

    public static DockerSandbox create(DockerCli docker) {
        return new DockerSandbox(Objects.requireNonNull(docker, "docker"));
    }

    /**
     * Runs the container to its end, its timeout or the calling thread's interruption. Output lines go to the
     * consumers as they are printed. Never throws for a failure of the application or the engine: the result says
     * what happened. After {@link RunOutcome#INTERRUPTED} the thread's interrupt flag is set again.
     */
    public ContainerRun run(ContainerSpec spec, Consumer<String> stdout, Consumer<String> stderr) {
        String runId = UUID.randomUUID().toString();
        String name = "sandbox-verify-" + runId;
        long started = System.nanoTime();
        for (Mount input : spec.inputs()) {
            if (!Files.exists(input.source())) {
                return ContainerRun.failed("input " + input.source() + " does not exist", runId, name,
                        since(started));
            }
        }
        if (spec.seccompProfile().isPresent() && !Files.isRegularFile(spec.seccompProfile().get())) {
            return ContainerRun.failed("the seccomp profile " + spec.seccompProfile().get() + " does not exist",
                    runId, name, since(started));
        }
        ContainerUser user;
        try {
            user = spec.user().orElseGet(() -> ContainerUser.forOutputs(spec.outputs().stream().map(Mount::source).toList()));
        } catch (UncheckedIOException e) {
            return ContainerRun.failed(e.getMessage(), runId, name, since(started));
        }
        Instant windowStart = Instant.now();
        String id;
        try {
            id = docker.createContainer(spec.createOptions(name, user, labels(runId)), spec.image(), spec.command());
        } catch (DockerException e) {
            String cleanup = remove(name);
            return ContainerRun.failed("the engine refused to create the container: " + e.getMessage() + cleanup,
                    runId, name, since(started));
        }

        KernelEventCollector kernel = KernelEventCollector.start(id, user.uid(), windowStart);
        boolean removed = false;
        try {
            ProcessResult attached = docker.startAttached(id, spec.timeout(), stdout, stderr, spec.logFile());
            if (attached.termination() == Termination.TIMED_OUT) {
                String cleanup = remove(name);
                removed = true;
                kernel.containerExited();
                return new ContainerRun(RunOutcome.TIMED_OUT, -1, "did not finish within " + spec.timeout().toMillis()
                        + " ms and was killed" + cleanup, runId, name, since(started), kernel.finish(KERNEL_QUIET));
            }
            if (attached.termination() == Termination.INTERRUPTED) {
                String cleanup = remove(name);
                removed = true;
                return new ContainerRun(RunOutcome.INTERRUPTED, -1, "interrupted; the container was killed" + cleanup,
                        runId, name, since(started), kernel.finish(Duration.ZERO));
            }
            kernel.containerExited();
            ContainerState state = docker.inspectContainer(id);
            List<ContainerChange> changes = spec.readOnlyRoot() ? List.of() : docker.changes(id);
            String cleanup = remove(name);
            removed = true;
            if (!state.error().isEmpty() || state.status().equals("created")) {
                String why = state.error().isEmpty() ? attached.stderrText().strip() : state.error();
                return new ContainerRun(RunOutcome.INFRASTRUCTURE_FAILURE, -1, "the engine could not start the"
                        + " container: " + why + cleanup, runId, name, since(started), kernel.finish(Duration.ZERO));
            }
            return classify(state, kernel.finish(KERNEL_QUIET), cleanup, runId, name, since(started))
                    .withChanges(changes);
        } catch (DockerException e) {
            String cleanup = remove(name);
            removed = true;
            return new ContainerRun(RunOutcome.INFRASTRUCTURE_FAILURE, -1, e.getMessage() + cleanup, runId, name,
                    since(started), kernel.finish(Duration.ZERO));
        } finally {
            // Also when an output consumer threw: no path leaves the container behind.
            if (!removed) {
                remove(name);
            }
            kernel.close();
        }
    }

    /**
     * Removes containers of earlier runs whose owning JVM is gone (crashed, killed with SIGKILL). Containers owned
     * by a live JVM, on this host or another one sharing the engine, are left alone.
     *
     * @return how many were removed
     */
    public int removeLeftovers() {
        String self = owner();
        String host = self.substring(0, self.indexOf('/'));
        int removed = 0;
        for (Map.Entry<String, Map<String, String>> container
                : docker.containersLabelled(RUN_LABEL, List.of(OWNER_LABEL)).entrySet()) {
            String owner = container.getValue().get(OWNER_LABEL);
            String[] parts = owner.split("/");
            if (parts.length != 3 || !parts[0].equals(host) || ownerAlive(parts[1], parts[2])) {
                continue;
            }
            docker.removeContainer(container.getKey());
            removed++;
        }
        return removed;
    }

    private static ContainerRun classify(ContainerState state, KernelEvents events, String cleanup, String runId,
                                         String name, Duration elapsed) {
        int code = state.exitCode();
        if (code == ContainerRun.SECCOMP_KILL_EXIT_CODE) {
            return new ContainerRun(RunOutcome.KILLED_BY_SECCOMP, code, "killed by SIGSYS: the policy's kill action"
                    + " stopped a system call" + cleanup, runId, name, elapsed, events);
        }
        if (state.oomKilled()) {
            return new ContainerRun(RunOutcome.OUT_OF_MEMORY, code, "exceeded the memory limit and was killed by the"
                    + " OOM killer (exit code " + code + ")" + cleanup, runId, name, elapsed, events);
        }
        if (events.pidsLimitReached() && code != 0) {
            return new ContainerRun(RunOutcome.PIDS_LIMIT, code, "a fork was refused by the pids limit and the"
                    + " application failed (exit code " + code + ")" + cleanup, runId, name, elapsed, events);
        }
        return new ContainerRun(RunOutcome.EXITED, code, "exited with " + code + cleanup, runId, name, elapsed, events);
    }

    /**
     * Removes the container even when the thread is interrupted: the interrupt is set aside for the removal, which
     * is short and bounded, and restored afterwards.
     *
     * @return empty, or a sentence to append to the run's detail when removal failed
     */
    private String remove(String name) {
        boolean interrupted = Thread.interrupted();
        try {
            docker.removeContainer(name);
            return "";
        } catch (DockerException e) {
            return "; the container could not be removed (" + e.getMessage() + "), remove it with 'docker rm -f "
                    + name + "'";
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, String> labels(String runId) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(RUN_LABEL, runId);
        labels.put(OWNER_LABEL, owner());
        return labels;
    }

    /** {@code host/pid/start-millis}: the start time tells a live owner from a later process reusing its pid. */
    static String owner() {
        ProcessHandle self = ProcessHandle.current();
        return hostname() + "/" + self.pid() + "/" + startMillis(self).orElse(0L);
    }

    private static boolean ownerAlive(String pid, String startMillis) {
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
            return process.isPresent() && process.get().isAlive()
                    && startMillis(process.get()).orElse(0L) == Long.parseLong(startMillis);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    private static String hostname() {
        try {
            return Sysctl.read("kernel/hostname");
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
