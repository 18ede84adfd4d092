package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector against the real kernel: dash's {@code cd} makes exactly one {@code chdir}, which each profile
 * here singles out, so every run produces one record (or none) and stays far below the kernel's printk rate limit.
 */
class KernelEventCollectorTest {

    private static DockerCli docker;
    private static AppImage shell;

    @TempDir
    Path temp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void image() {
        docker = TestEngine.requireDocker();
        shell = TestEngine.shellImage(docker);
    }

    @Test
    void complainModeLogsTheUnlistedCallAndTheApplicationCarriesOn() throws IOException {
        TestEngine.requireKernelLog();
        Path profile = TestEngine.profile(temp, "SCMP_ACT_LOG", Map.of("chdir", "SCMP_ACT_LOG"), false);
        ContainerRun run = runShell("cd /tmp && echo moved", profile);

        assertEquals(RunOutcome.EXITED, run.outcome(), run.detail());
        assertEquals(List.of("moved"), output, "logging does not deny");
        assertTrue(run.kernel().available(), run.kernel().warnings().toString());
        Violations violations = run.violations();
        assertEquals(List.of(new Violation("chdir", 80, "x86_64", "/bin/sh", "log", 1, new TreeMap<>())),
                violations.violations(), "warnings: " + violations.warnings());
    }

    @Test
    void aKillActionEndsTheRunWithSigsysAndIsNamed() throws IOException {
        TestEngine.requireKernelLog();
        Path profile = TestEngine.profile(temp, "SCMP_ACT_ALLOW", Map.of("chdir", "SCMP_ACT_KILL_PROCESS"), false);
        ContainerRun run = runShell("echo before; cd /tmp; echo after", profile);

        assertEquals(RunOutcome.KILLED_BY_SECCOMP, run.outcome(), run.detail());
        assertEquals(ContainerRun.SECCOMP_KILL_EXIT_CODE, run.exitCode());
        assertEquals(List.of("before"), output);
        List<Violation> violations = run.violations().violations();
        assertEquals(1, violations.size(), violations + " " + run.kernel().warnings());
        assertEquals("chdir", violations.get(0).syscall());
        assertEquals("kill-process", violations.get(0).action());
        assertEquals("/bin/sh", violations.get(0).executable());
    }

    @Test
    void enforceModeDenialsAreLoggedOnlyWhereTheEngineHonoursTheLogFlag() throws IOException {
        TestEngine.requireKernelLog();
        Path profile = TestEngine.profile(temp, "SCMP_ACT_ERRNO", Map.of("chdir", "SCMP_ACT_ERRNO"), true);
        ContainerRun run = runShell("cd /tmp || echo denied", profile);

        assertEquals(RunOutcome.EXITED, run.outcome(), run.detail());
        assertTrue(output.contains("denied"), "the errno action denied the call: " + output);
        boolean logged = run.violations().violations().stream().anyMatch(v -> v.syscall().equals("chdir"));
        EngineStatus engine = docker.probe(Duration.ofSeconds(10));
        System.out.println("Docker " + engine.serverVersion() + " passes seccomp flags: "
                + engine.passesSeccompFlags() + "; errno denial logged: " + logged);
        assertEquals(engine.passesSeccompFlags(), logged);
    }

    @Test
    void recordsOfOtherContainersAreNotAttributed() throws IOException {
        TestEngine.requireKernelLog();
        Path profile = TestEngine.profile(temp, "SCMP_ACT_LOG", Map.of("chdir", "SCMP_ACT_LOG"), false);
        // Same image, same profile, same user: only the cgroup tells the two apart.
        String other = docker.createContainer(List.of("--security-opt", "seccomp=" + profile, "--network", "none",
                "--user", ContainerUser.forOutput(Optional.empty()).dockerArgument()), shell.tag(),
                List.of("/bin/sh", "-c", "sleep 1; cd /tmp; sleep 2"));
        try {
            ProcessRunner.create().run(Command.of("docker", "start", other)).requireSuccess();
            ContainerRun run = runShell("sleep 2; echo done", profile);
            assertEquals(List.of("done"), output);
            assertEquals(List.of(), run.violations().violations(), "the other container's chdir is not ours");
        } finally {
            docker.removeContainer(other);
        }
    }

    @Test
    void anUnreadableKernelLogIsExplainedNotFatal() {
        KernelEventCollector collector = KernelEventCollector.start(temp.resolve("no-kmsg"),
                "0123456789abcdef0123456789abcdef", 65534, Instant.now());
        KernelEvents events = collector.finish(Duration.ofMillis(10));
        assertFalse(events.available());
        String reason = events.warnings().get(0);
        assertTrue(reason.contains(temp.resolve("no-kmsg").toString()) && reason.contains("CAP_SYSLOG")
                && reason.contains("dmesg_restrict"), reason);
    }

    private ContainerRun runShell(String script, Path profile) {
        return DockerSandbox.create(docker).run(ContainerSpec.of(shell.tag(), List.of("/bin/sh", "-c", script))
                .withSeccompProfile(profile).withTimeout(Duration.ofMinutes(1)), output::add, output::add);
    }
}
