package dev.sandboxed.goals;

import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.sandbox.FilesystemRules;
import dev.sandboxed.sandbox.OutsideTmp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java} stand-in {@code verify} prepares for forked test JVMs, run for real: as a test plugin would, with
 * the real {@code java}'s arguments, its standard streams connected to the caller (pipes here, Maven's in a build).
 */
class VerifyTestJvmTest {

    private final RecordingConsole console = new RecordingConsole();
    private final AttackFixture fixture = AttackFixture.get();

    @Test
    void aForkUnderThePolicyRunsWhatTheRecordingSawAndIsRefusedTheRest() throws Exception {
        NativeVerifyAttackTest.requireCapabilities("keyctl");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        VerifyGoal.Request request = fixture.request(new RunTarget.CommandLine(List.of(java.toString())),
                VerifyRuntime.NATIVE, VerifyMode.ENFORCE, "test-jvm");
        Path script = request.outputDirectory().resolve("bin").resolve("java-sandboxed");
        Path extra = Files.createDirectories(OutsideTmp.directory("test-jvm-readable"));
        Path written = AttackFixture.goal(console).prepareTestJvms(request, script, toolClasspath(), List.of(extra));
        assertEquals(script, written);
        assertTrue(Files.isExecutable(script));
        Path work = request.outputDirectory().resolve("verify").resolve("test-jvm");
        FilesystemRules rules = FilesystemRules.read(work.resolve(FilesystemRules.FILE_NAME));
        assertTrue(rules.allows(extra.toRealPath().resolve("pom.xml"), FileAccess.READ), "what the project adds is read");
        assertFalse(rules.allows(extra.toRealPath().resolve("pom.xml"), FileAccess.WRITE), "but not written");

        ProcessResult benign = fork(script, "none");
        assertEquals(0, benign.exitCode(), benign.stderrTail().toString());
        assertTrue(benign.stdout().contains("normalised"), benign.stdout());
        assertTrue(benign.stderrTail().stream().noneMatch(line -> line.startsWith(VerifyTestJvm.PREFIX)),
                benign.stderrTail().toString());

        ProcessResult attack = fork(script, "keyctl");
        assertNotEquals(0, attack.exitCode(), "the refused call fails the fork");
        String stderr = String.join("\n", attack.stderrTail());
        assertTrue(stderr.contains("java.io.IOException: keyctl failed"), "the call failed in the program:\n" + stderr);
        assertTrue(stderr.contains(VerifyTestJvm.PREFIX + "The sandbox refused what this test JVM did"), stderr);
        try (Stream<Path> files = Files.list(work)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("violations-\\d+\\.json")),
                    "the fork's violations are kept");
        }
        Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/kmsg")), "the kernel log names the call; it is not"
                + " readable here");
        assertTrue(stderr.contains(": keyctl \u00d71"), "the call is named:\n" + stderr);
    }

    @Test
    void testJvmsRunNativelyInEnforceModeOnly() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        VerifyGoal goal = AttackFixture.goal(console);
        for (VerifyRuntime runtime : List.of(VerifyRuntime.DOCKER)) {
            VerifyGoal.Request request = fixture.request(new RunTarget.CommandLine(List.of(java.toString())),
                    runtime, VerifyMode.ENFORCE, "test-jvm-docker");
            VerifyConfigurationException e = assertThrows(VerifyConfigurationException.class,
                    () -> goal.prepareTestJvms(request, request.outputDirectory().resolve("java"), List.of(), List.of()));
            assertEquals("sandbox.runtime", e.parameter());
        }
        VerifyGoal.Request complain = fixture.request(new RunTarget.CommandLine(List.of(java.toString())),
                VerifyRuntime.NATIVE, VerifyMode.COMPLAIN, "test-jvm-complain");
        VerifyConfigurationException e = assertThrows(VerifyConfigurationException.class,
                () -> goal.prepareTestJvms(complain, complain.outputDirectory().resolve("java"), List.of(), List.of()));
        assertEquals("sandbox.mode", e.parameter());
    }

    @Test
    void badArgumentsAreNamed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(VerifyTestJvm.EXIT_SANDBOX_FAILED, VerifyTestJvm.run(List.of("--pids", "many", "--", "java"), err));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("[sandbox] --pids wants a whole number, got many"),
                bytes.toString(StandardCharsets.UTF_8));
    }

    /** Starts the attack program through the stand-in, as a test plugin starts {@code java}. */
    private ProcessResult fork(Path script, String attack) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        List<String> java = fixture.target(attack).hostCommand();
        command.addAll(java.subList(1, java.size()));
        return ProcessRunner.create().run(Command.of(command).withWorkingDirectory(AttackFixture.ROOT)
                .withTimeout(Duration.ofMinutes(2)).capturingStdout());
    }

    /** The plugin's classes and JNA, where this build keeps them. */
    private static List<Path> toolClasspath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith("classes") || entry.contains("/jna-") || entry.contains("jackson"))
                .map(Path::of).toList();
    }
}
