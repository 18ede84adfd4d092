package dev.sandboxed.goals;

import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.sandbox.DockerCli;
import dev.sandboxed.sandbox.EngineStatus;
import dev.sandboxed.sandbox.KernelEventCollector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attack of the attack program, verified in Docker against the policy recorded natively from its benign run.
 * The container has no shell and no writable root, so two attacks end differently than natively: the shell attack
 * fails for want of a shell (the run is the application's failure, and the message says what the container holds),
 * and a write outside the output directory is refused by the read-only root and listed from the complain re-run.
 */
class DockerVerifyAttackTest {

    /**
     * The kernel prints about 10 audit records per 5 s without auditd, machine-wide; each run waits for a fresh
     * window, and a run whose records were dropped anyway (by other containers' records) is repeated.
     */
    private static final Duration RATE_LIMIT_WINDOW = Duration.ofSeconds(5);

    @BeforeAll
    static void engineAndKernelLog() {
        EngineStatus status = DockerCli.create(ProcessRunner.create()).probe(Duration.ofSeconds(10));
        if (!status.available()) {
            System.out.println("Skipping Docker attack tests: " + status.reason());
        }
        Assumptions.assumeTrue(status.available(), status.reason());
        try (FileChannel ignored = FileChannel.open(KernelEventCollector.KERNEL_LOG, StandardOpenOption.READ)) {
            return;
        } catch (IOException e) {
            String reason = "cannot read " + KernelEventCollector.KERNEL_LOG + ", where Docker's violations are read: " + e;
            System.out.println("Skipping: " + reason);
            Assumptions.abort(reason);
        }
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of("network", List.of(), List.of(": poll \u00d7")),
                Arguments.of("ptrace", List.of(), List.of(": ptrace \u00d7")),
                Arguments.of("mount", List.of(), List.of(": mount \u00d7", ": unshare \u00d7", ": setns \u00d7")),
                Arguments.of("module", List.of(), List.of(": init_module \u00d7", ": finit_module \u00d7")),
                Arguments.of("keyctl", List.of(), List.of(": keyctl \u00d7")),
                Arguments.of("bpf", List.of(), List.of(": bpf \u00d7")),
                Arguments.of("userfaultfd", List.of(), List.of(": userfaultfd \u00d7")),
                Arguments.of("perf", List.of(), List.of(": perf_event_open \u00d7")),
                Arguments.of("escape", List.of("/etc/escape.txt"), List.of("create /etc/escape.txt",
                        "(read-only root)")),
                Arguments.of("forkbomb", List.of(), List.of("limit pids:")),
                Arguments.of("x32", List.of(), List.of(": x32:socket \u00d7", "always killed")),
                Arguments.of("i386", List.of(), List.of(": i386:359 \u00d7", "always killed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void failsVerifyNamingWhatStoppedIt(String attack, List<String> extra, List<String> named) throws Exception {
        if (attack.equals("escape")) {
            Assumptions.assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                    "writes outside the output directory are listed only when the build runs as root");
        }
        AttackFixture fixture = AttackFixture.get();
        String[] arguments = Stream.concat(Stream.of(attack), extra.stream()).toArray(String[]::new);
        VerifyGoal.Result result = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            Thread.sleep(RATE_LIMIT_WINDOW.multipliedBy(attempt + 1L).toMillis());
            result = AttackFixture.goal(new RecordingConsole()).run(fixture.request(fixture.target(arguments),
                    VerifyRuntime.DOCKER, VerifyMode.ENFORCE, "docker-" + attack));
            if (named.stream().allMatch(result.message()::contains)) {
                break;
            }
            System.out.println("Attempt " + (attempt + 1) + " named too little, probably because the kernel's shared"
                    + " audit rate limit dropped records (other containers on this machine count too); again");
        }
        System.out.println(result.message());
        assertEquals(VerifyOutcome.VIOLATIONS, result.outcome(), result.message());
        assertTrue(result.failsBuild());
        for (String expected : named) {
            assertTrue(result.message().contains(expected), "expected '" + expected + "' in:\n" + result.message());
        }
    }

    @org.junit.jupiter.api.Test
    void aShellTheImageDoesNotHoldFailsTheRunAndTheMessageSaysWhatTheContainerHolds() {
        AttackFixture fixture = AttackFixture.get();
        VerifyGoal.Result result = AttackFixture.goal(new RecordingConsole()).run(fixture.request(
                fixture.target("shell"), VerifyRuntime.DOCKER, VerifyMode.ENFORCE, "docker-shell"));
        System.out.println(result.message());
        assertEquals(VerifyOutcome.APPLICATION_FAILED, result.outcome(), result.message());
        assertTrue(result.failsBuild());
        assertTrue(result.message().contains("a missing program with 'No such file or directory'"), result.message());
    }
}
