package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerSandboxTest {

    private static DockerCli docker;
    private static AppImage javaImage;
    private static AppImage shell;

    @TempDir
    Path temp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void images() {
        docker = TestEngine.requireDocker();
        Path classes = ProbeApplication.compile(TestEngine.CACHE.resolve("probe"));
        javaImage = TestEngine.assembler(docker).assemble(AppImageSpec.forCurrentJdk(List.of(classes)));
        shell = TestEngine.shellImage(docker);
    }

    @Test
    void aJavaMainWritesItsOutputDirectoryAndNothingElse() throws IOException {
        Path out = temp.resolve("out");
        ContainerRun wrote = run(javaSpec("write", "/out").withOutput(out, "/out"));
        assertEquals(RunOutcome.EXITED, wrote.outcome(), wrote.detail() + output);
        assertEquals(0, wrote.exitCode());
        assertEquals("hello from the sandbox\n", Files.readString(out.resolve("hello.txt")));
        assertEquals(ContainerUser.forOutput(Optional.empty()).uid(), Files.getAttribute(out.resolve("hello.txt"), "unix:uid"), "written as the container's non-root user");
        assertRemoved(wrote);

        output.clear();
        ContainerRun escape = run(javaSpec("escape").withOutput(out, "/out"));
        assertEquals(0, escape.exitCode(), "every write outside /out must fail: " + output);
        assertTrue(output.stream().filter(line -> line.contains("Read-only file system")).count() >= 2, output.toString());
    }

    @Test
    void inputsAreReadOnly() throws IOException {
        Path in = Files.createDirectories(temp.resolve("in"));
        Files.writeString(in.resolve("data.txt"), "input\n");
        ContainerRun run = run(shellSpec("read line < /in/data.txt; echo \"read $line\"; echo x > /in/new.txt")
                .withInput(in, "/in"));
        assertEquals(RunOutcome.EXITED, run.outcome(), run.detail());
        assertEquals(2, run.exitCode(), "writing the input must fail: " + output);
        assertTrue(output.contains("read input"), output.toString());
        assertTrue(output.stream().anyMatch(line -> line.contains("Read-only file system")), output.toString());
        assertFalse(Files.exists(in.resolve("new.txt")));
    }

    @Test
    void aCopyOnWriteInputListsWhatTheContainerWroteAndKeepsTheInputAsItWas() throws IOException {
        Assumptions.assumeTrue(ContainerUser.forOutput(Optional.empty()).uid() == ContainerUser.NOBODY,
                "overlays are made for root builds only; this build runs as uid " + ContainerUser.forOutput(Optional.empty()).uid());
        Path in = Files.createDirectories(temp.resolve("in"));
        Files.writeString(in.resolve("data.txt"), "input\n");
        ContainerSpec spec = shellSpec("read line < /in/data.txt; echo \"read $line\"; echo x > /in/new.txt;"
                + " echo y >> /in/data.txt").withInput(in, "/in")
                .withUser(new ContainerUser(0, 0)).withInputsCopiedOnWrite(temp.resolve("overlays"));
        ContainerWrites.prepareOverlays(spec.inputs());
        ContainerRun run = run(spec);
        assertEquals(0, run.exitCode(), run.detail() + output);
        assertTrue(output.contains("read input"), output.toString());
        List<String> writes = ContainerWrites.inOverlays(spec.inputs()).stream()
                .map(v -> v.access() + " " + v.path() + " (" + v.limit() + ")").sorted().toList();
        assertEquals(List.of("create /in/new.txt (read-only input mount)", "write /in/data.txt (read-only input mount)"),
                writes);
        assertEquals("input\n", Files.readString(in.resolve("data.txt")), "the input itself is untouched");
        assertFalse(Files.exists(in.resolve("new.txt")));
        assertRemoved(run);
    }

    @Test
    void thereIsNoNetworkUnlessThePolicyAllowsInetSockets() {
        ContainerRun isolated = run(javaSpec("network"));
        assertEquals(0, isolated.exitCode(), "only loopback and no route: " + output);
        assertTrue(output.contains("interfaces [lo]"), output.toString());

        output.clear();
        ContainerRun networked = run(javaSpec("network").withNetwork(true));
        assertEquals(1, networked.exitCode(), "with a network there is more than loopback: " + output);
        assertTrue(output.stream().anyMatch(line -> line.startsWith("interfaces [") && line.contains("eth0")),
                output.toString());
    }

    @Test
    void aForkBombIsStoppedByThePidsLimit() {
        TestEngine.requireKernelLog();
        ContainerRun run = run(shellSpec("i=0; while [ $i -lt 1000 ]; do sleep 60 & i=$((i+1)); done; echo survived")
                .withPidsLimit(20).withTimeout(Duration.ofSeconds(60)));
        assertEquals(RunOutcome.PIDS_LIMIT, run.outcome(), run.detail() + " " + output);
        assertTrue(run.kernel().pidsLimitReached());
        assertTrue(output.stream().anyMatch(line -> line.contains("Cannot fork")), output.toString());
        assertFalse(output.contains("survived"));
        assertTrue(run.elapsed().toSeconds() < 30, "stopped by the limit, not by the timeout: " + run.elapsed());
        assertRemoved(run);
    }

    @Test
    void exceedingTheMemoryLimitIsReportedAsOutOfMemory() {
        ContainerRun run = run(shellSpec("x=0123456789abcdef; while :; do x=\"$x$x\"; done")
                .withMemoryBytes(16L << 20));
        assertEquals(RunOutcome.OUT_OF_MEMORY, run.outcome(), run.detail() + " " + output);
        assertEquals(137, run.exitCode(), "SIGKILL from the OOM killer");
        assertRemoved(run);
    }

    @Test
    void aMissingSeccompProfileIsNamedBeforeAnythingRuns() {
        Path absent = temp.resolve("absent.json");
        ContainerRun run = run(shellSpec("true").withSeccompProfile(absent));
        assertEquals(RunOutcome.INFRASTRUCTURE_FAILURE, run.outcome());
        assertTrue(run.detail().contains(absent.toString()), run.detail());
    }

    @Test
    void aFailingApplicationIsReportedAndRemoved() {
        ContainerRun run = run(shellSpec("echo failing >&2; exit 7"));
        assertEquals(RunOutcome.EXITED, run.outcome());
        assertEquals(7, run.exitCode());
        assertEquals(List.of("failing"), output);
        assertRemoved(run);
    }

    @Test
    void aBrokenOutputConsumerStillLeavesNoContainerBehind() {
        IllegalStateException broken = assertThrows(IllegalStateException.class, () -> DockerSandbox.create(docker)
                .run(shellSpec("echo one"), line -> {
                    throw new IllegalStateException("log sink broke");
                }, output::add));
        assertEquals("log sink broke", broken.getMessage());
        assertEquals(Map.of(), docker.containersLabelled(DockerSandbox.OWNER_LABEL + "=" + DockerSandbox.owner(),
                List.of()), "no container of this JVM is left");
    }

    @Test
    void aTimeoutKillsAndRemovesTheContainer() {
        ContainerRun run = run(shellSpec("echo started; sleep 300").withTimeout(Duration.ofSeconds(3)));
        assertEquals(RunOutcome.TIMED_OUT, run.outcome(), run.detail());
        assertTrue(run.outcome().inconclusive());
        assertTrue(run.elapsed().toSeconds() < 20, run.elapsed().toString());
        assertEquals(List.of("started"), output);
        assertRemoved(run);
    }

    @Test
    void interruptingTheBuildKillsAndRemovesTheContainer() throws Exception {
        AtomicReference<ContainerRun> result = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread build = new Thread(() -> {
            result.set(run(shellSpec("echo started; sleep 300")));
            flag.set(Thread.currentThread().isInterrupted());
        });
        build.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!output.contains("started") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        build.interrupt();
        build.join(30_000);
        assertEquals(RunOutcome.INTERRUPTED, result.get().outcome(), result.get().detail());
        assertTrue(flag.get(), "the interrupt stays visible to the build");
        assertRemoved(result.get());
    }

    @Test
    void aRefusedProfileIsAnInfrastructureFailure() throws IOException {
        Path broken = Files.writeString(temp.resolve("broken.json"), "{\"defaultAction\": \"SCMP_ACT_NOPE\"}");
        ContainerRun run = run(shellSpec("true").withSeccompProfile(broken));
        assertEquals(RunOutcome.INFRASTRUCTURE_FAILURE, run.outcome(), run.detail());
        assertTrue(run.detail().contains("SCMP_ACT_NOPE"), run.detail());
        assertRemoved(run);
    }

    @Test
    void leftoversOfDeadBuildsAreRemovedButLiveOnesAreNot() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        String host = Sysctl.read("kernel/hostname");
        String dead = docker.createContainer(List.of("--label", DockerSandbox.RUN_LABEL + "=leftover-test",
                "--label", DockerSandbox.OWNER_LABEL + "=" + host + "/" + finished.pid() + "/1"), shell.tag(),
                List.of("/bin/sh", "-c", "true"));
        ProcessHandle self = ProcessHandle.current();
        String alive = docker.createContainer(List.of("--label", DockerSandbox.RUN_LABEL + "=leftover-test",
                "--label", DockerSandbox.OWNER_LABEL + "=" + host + "/" + self.pid() + "/"
                        + self.info().startInstant().orElseThrow().toEpochMilli()), shell.tag(),
                List.of("/bin/sh", "-c", "true"));
        try {
            assertTrue(DockerSandbox.create(docker).removeLeftovers() >= 1);
            Map<String, Map<String, String>> remaining = docker.containersLabelled(
                    DockerSandbox.RUN_LABEL + "=leftover-test", List.of());
            assertEquals(List.of(alive), List.copyOf(remaining.keySet()));
            assertFalse(remaining.containsKey(dead));
        } finally {
            docker.removeContainer(alive);
            docker.removeContainer(dead);
        }
    }

    private ContainerSpec javaSpec(String... arguments) {
        return ContainerSpec.of(javaImage.tag(), javaImage.javaCommand(List.of(), ProbeApplication.MAIN_CLASS,
                List.of(arguments))).withTimeout(Duration.ofMinutes(2));
    }

    private static ContainerSpec shellSpec(String script) {
        return ContainerSpec.of(shell.tag(), List.of("/bin/sh", "-c", script)).withTimeout(Duration.ofMinutes(2));
    }

    private ContainerRun run(ContainerSpec spec) {
        return DockerSandbox.create(docker).run(spec, output::add, output::add);
    }

    private static void assertRemoved(ContainerRun run) {
        assertEquals(Map.of(), docker.containersLabelled(DockerSandbox.RUN_LABEL + "=" + run.runId(), List.of()),
                "container of run " + run.runId() + " is gone");
    }
}
