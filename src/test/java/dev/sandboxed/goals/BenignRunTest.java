package dev.sandboxed.goals;

import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.sandbox.DockerCli;
import dev.sandboxed.sandbox.EngineStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The policy recorded from a benign run must never flag that same benign run: no false violation in 20 native runs
 * in each mode (complain mode sees every call the policy would refuse, so it is the stricter check), and in 5 Docker
 * runs, where the JVM is an image's runtime rather than the recorded one.
 */
class BenignRunTest {

    @Test
    void twentyNativeRunsInEachModeRaiseNoViolation() throws Exception {
        AttackFixture fixture = AttackFixture.get();
        List<String> failures = new ArrayList<>();
        for (VerifyMode mode : VerifyMode.values()) {
            for (int run = 0; run < 20; run++) {
                failures.addAll(run(fixture, VerifyRuntime.NATIVE, mode, run));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void fiveDockerRunsRaiseNoViolation() throws Exception {
        EngineStatus status = DockerCli.create(ProcessRunner.create()).probe(Duration.ofSeconds(10));
        if (!status.available()) {
            System.out.println("Skipping Docker benign runs: " + status.reason());
        }
        Assumptions.assumeTrue(status.available(), status.reason());
        AttackFixture fixture = AttackFixture.get();
        List<String> failures = new ArrayList<>();
        for (VerifyMode mode : VerifyMode.values()) {
            for (int run = 0; run < 5; run++) {
                failures.addAll(run(fixture, VerifyRuntime.DOCKER, mode, run));
            }
        }
        assertEquals(List.of(), failures);
    }

    private static List<String> run(AttackFixture fixture, VerifyRuntime runtime, VerifyMode mode, int run)
            throws Exception {
        Files.deleteIfExists(fixture.output.resolve("result.txt"));
        RecordingConsole console = new RecordingConsole();
        VerifyGoal.Result result = AttackFixture.goal(console).run(fixture.request(fixture.target(), runtime, mode,
                "benign-" + runtime.id() + "-" + mode.id()));
        assertFalse(Files.notExists(fixture.output.resolve("result.txt")), "the benign run writes its result");
        if (result.outcome() == VerifyOutcome.PASSED && result.violations().nothingRefused()) {
            return List.of();
        }
        return List.of(runtime.id() + " " + mode.id() + " run " + run + ": " + result.message());
    }
}
