package dev.sandboxed.goals;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.sandbox.DockerCli;
import dev.sandboxed.sandbox.FilesystemRules;
import dev.sandboxed.sandbox.ViolationsJson;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outcomes a user must tell apart, and the requests verify refuses, with the attack program. */
class VerifyGoalTest {

    private final RecordingConsole console = new RecordingConsole();
    private final AttackFixture fixture = AttackFixture.get();

    @Test
    void complainModeLetsTheRunGoOnAndStillFailsTheBuild() throws Exception {
        VerifyGoal.Result result = AttackFixture.goal(console).run(fixture.request(fixture.target("keyctl"),
                VerifyRuntime.NATIVE, VerifyMode.COMPLAIN, "goal-complain"));
        assertEquals(VerifyOutcome.VIOLATIONS, result.outcome(), result.message());
        assertEquals(0, result.exitCode(), "the refused call went through");
        assertTrue(console.text().contains("[app] ATTACK SUCCEEDED: keyctl"), console.text());
        assertTrue(result.message().startsWith("The policy does not allow what the application did (native, complain"
                + " mode: each refused call was let through; exited with 0). 1 violation:"), result.message());
        assertTrue(result.failsBuild());
        Path report = result.written().stream().filter(p -> p.endsWith(VerifyGoal.VIOLATIONS_JSON)).findFirst()
                .orElseThrow();
        assertEquals(ViolationsJson.toJson(result.violations()), Files.readString(report));
    }

    @Test
    void withoutFailOnViolationViolationsDoNotFailTheBuild() {
        VerifyGoal.Request request = fixture.request(fixture.target("bpf"), VerifyRuntime.NATIVE, VerifyMode.ENFORCE,
                "goal-no-fail");
        VerifyGoal.Result result = AttackFixture.goal(console).run(new VerifyGoal.Request(request.target(),
                request.workingDirectory(), request.environment(), request.timeout(), request.policy(),
                request.runtime(), request.mode(), false, request.image(), request.extraExecutables(),
                request.outputDirectory(), request.inputs(), request.outputs(), request.logFile()));
        assertEquals(VerifyOutcome.VIOLATIONS, result.outcome());
        assertFalse(result.failsBuild());
    }

    @Test
    void anApplicationThatFailsWhileNothingIsRefusedFailedOnItsOwn() {
        VerifyGoal.Request request = fixture.request(fixture.target(), VerifyRuntime.NATIVE, VerifyMode.ENFORCE,
                "goal-app-failure");
        List<String> arguments = ((RunTarget.JavaMain) request.target()).arguments();
        RunTarget missingInput = new RunTarget.JavaMain(Path.of(System.getProperty("java.home")), List.of(),
                fixture.classpath, "Attack", List.of(fixture.input + ".missing", arguments.get(1)));
        VerifyGoal.Result result = AttackFixture.goal(console).run(with(request, missingInput));
        assertEquals(VerifyOutcome.APPLICATION_FAILED, result.outcome(), result.message());
        assertTrue(result.failsBuild());
        assertTrue(result.message().startsWith("The application failed on its own (native, enforce mode: exited with"
                + " 1), and no system call, file access or limit was refused, not even when run again in complain"
                + " mode"), result.message());
    }

    @Test
    void aRunPastTheTimeoutProvesNothing() {
        VerifyGoal.Request request = fixture.request(fixture.target(), VerifyRuntime.NATIVE, VerifyMode.ENFORCE,
                "goal-timeout");
        VerifyGoal.Result result = AttackFixture.goal(console).run(new VerifyGoal.Request(request.target(),
                request.workingDirectory(), request.environment(), Duration.ofMillis(50), request.policy(),
                request.runtime(), request.mode(), true, request.image(), request.extraExecutables(),
                request.outputDirectory(), request.inputs(), request.outputs(), request.logFile()));
        assertEquals(VerifyOutcome.INFRASTRUCTURE_FAILED, result.outcome(), result.message());
        assertEquals("verify could not run the application (native, enforce mode): did not finish within 50 ms and"
                + " was killed", result.message());
        assertFalse(Files.exists(request.outputDirectory().resolve(VerifyGoal.VIOLATIONS_JSON)));
    }

    @Test
    void withoutAnEngineDockerIsAnInfrastructureFailureAndAutoFallsBackToNativeSayingWhy() {
        DockerCli absent = DockerCli.create(ProcessRunner.create()).withHost("unix:///nonexistent/docker.sock");
        VerifyGoal goal = new VerifyGoal(console, Linux::load, ProcessRunner.create(), absent, AttackFixture.CACHE);
        VerifyGoal.Result docker = goal.run(fixture.request(fixture.target(), VerifyRuntime.DOCKER, VerifyMode.ENFORCE,
                "goal-no-engine"));
        assertEquals(VerifyOutcome.INFRASTRUCTURE_FAILED, docker.outcome(), docker.message());
        assertTrue(docker.message().startsWith("verify could not run the application (docker, enforce mode): "),
                docker.message());

        console.lines.clear();
        VerifyGoal.Result auto = goal.run(fixture.request(fixture.target(), VerifyRuntime.AUTO, VerifyMode.ENFORCE,
                "goal-auto"));
        assertEquals(VerifyOutcome.PASSED, auto.outcome(), auto.message());
        assertEquals(VerifyRuntime.NATIVE, auto.runtime());
        List<String> runtimeLines = console.lines.stream().filter(line -> line.startsWith("Runtime: ")).toList();
        assertEquals(1, runtimeLines.size(), console.text());
        assertTrue(runtimeLines.get(0).startsWith("Runtime: native (auto: no Docker engine, "), runtimeLines.get(0));
    }

    @Test
    void aFilesystemJsonNextToThePolicyReplacesTheRecordedRules() throws Exception {
        Path directory = Files.createDirectories(AttackFixture.ROOT.resolve("own-rules"));
        Path policy = Files.copy(fixture.sandbox.resolve("seccomp.json"), directory.resolve("seccomp.json"),
                StandardCopyOption.REPLACE_EXISTING);
        FilesystemRules.fromRecording(fixture.recording)
                .plus(FilesystemRules.runtimeNeeds(FilesystemRules.javaHomes(fixture.recording)))
                .withRead(List.of(Path.of("/usr/share/doc")))
                .write(directory.resolve(FilesystemRules.FILE_NAME));
        VerifyGoal.Request request = fixture.request(fixture.target(), VerifyRuntime.NATIVE, VerifyMode.ENFORCE,
                "goal-own-rules");
        VerifyGoal.Result result = AttackFixture.goal(console).run(new VerifyGoal.Request(request.target(),
                request.workingDirectory(), request.environment(), request.timeout(), policy, request.runtime(),
                request.mode(), true, request.image(), request.extraExecutables(), request.outputDirectory(),
                request.inputs(), request.outputs(), request.logFile()));
        assertEquals(VerifyOutcome.PASSED, result.outcome(), result.message());
        assertTrue(console.text().contains("Filesystem rules from " + directory.resolve(FilesystemRules.FILE_NAME)),
                console.text());
        String applied = Files.readString(request.outputDirectory().resolve("verify").resolve(FilesystemRules.FILE_NAME));
        assertTrue(applied.contains("\"/usr/share/doc\""), applied);
    }

    @Test
    void aCommandTheRecordingNeverRanMayNotRun() {
        VerifyGoal.Result result = AttackFixture.goal(console).run(with(fixture.request(fixture.target(),
                VerifyRuntime.NATIVE, VerifyMode.ENFORCE, "goal-other-command"),
                new RunTarget.CommandLine(List.of("sleep", "1"))));
        assertEquals(VerifyOutcome.VIOLATIONS, result.outcome(), result.message());
        assertTrue(result.message().contains("filesystem Launcher: execute /usr/bin/sleep \u00d71 (landlock)"),
                result.message());
    }

    @Test
    void impossibleRequestsNameTheParameter() {
        VerifyGoal goal = AttackFixture.goal(console);
        VerifyGoal.Request request = fixture.request(fixture.target(), VerifyRuntime.NATIVE, VerifyMode.ENFORCE,
                "goal-refused");
        VerifyConfigurationException image = assertThrows(VerifyConfigurationException.class, () -> goal.run(
                new VerifyGoal.Request(new RunTarget.CommandLine(List.of("true")), request.workingDirectory(),
                        request.environment(), request.timeout(), request.policy(), VerifyRuntime.NATIVE,
                        request.mode(), true, Optional.of("app:1"), List.of(), request.outputDirectory(), List.of(),
                        List.of(), Optional.empty())));
        assertEquals("sandbox.image", image.parameter());
        VerifyConfigurationException outputs = assertThrows(VerifyConfigurationException.class, () -> goal.run(
                new VerifyGoal.Request(request.target(), request.workingDirectory(), request.environment(),
                        request.timeout(), request.policy(), VerifyRuntime.DOCKER, request.mode(), true,
                        Optional.empty(), List.of(), request.outputDirectory(), List.of(),
                        List.of(fixture.output, fixture.outside), Optional.empty())));
        assertEquals("sandbox.outputs", outputs.parameter());
        VerifyConfigurationException command = assertThrows(VerifyConfigurationException.class, () -> goal.run(
                with(request, new RunTarget.CommandLine(List.of("no-such-program-4711")))));
        assertEquals("sandbox.command", command.parameter());
        assertTrue(command.getMessage().startsWith("command not found: no-such-program-4711 (searched PATH="));
        InvalidPolicyException missing = assertThrows(InvalidPolicyException.class, () -> goal.run(
                new VerifyGoal.Request(request.target(), request.workingDirectory(), request.environment(),
                        request.timeout(), AttackFixture.ROOT.resolve("absent.json"), request.runtime(),
                        request.mode(), true, Optional.empty(), List.of(), request.outputDirectory(), List.of(),
                        List.of(), Optional.empty())));
        assertTrue(missing.getMessage().startsWith(AttackFixture.ROOT.resolve("absent.json")
                + ": the policy file does not exist; run sandbox:profile first"), missing.getMessage());
    }

    private static VerifyGoal.Request with(VerifyGoal.Request request, RunTarget target) {
        return new VerifyGoal.Request(target, request.workingDirectory(), request.environment(), request.timeout(),
                request.policy(), request.runtime(), request.mode(), true, request.image(), request.extraExecutables(),
                request.outputDirectory(), request.inputs(), request.outputs(), request.logFile());
    }
}
