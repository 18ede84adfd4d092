package dev.sandboxed.record;

import dev.sandboxed.linux.LauncherCommand;
import dev.sandboxed.linux.LauncherOptions;
import dev.sandboxed.linux.LauncherTest;
import dev.sandboxed.policy.PolicyFiles;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the CLI in its own JVM, as a JVM wrapper script would. */
class TraceMainTest {

    record Result(int status, String stdout, String stderr) {
    }

    static List<String> traceMain(String... args) {
        List<String> argv = new ArrayList<>(List.of(PtraceRecorderTest.javaCommand(TraceMain.class)));
        argv.addAll(List.of(args));
        return argv;
    }

    static Result run(List<String> argv) throws Exception {
        Process process = new ProcessBuilder(argv).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void recordsIntoAFileWithInheritedStreamsAndTheCommandsStatus(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("recording.json");
        Result result = run(traceMain("--output", output.toString(), "--", "sh", "-c", "echo hi; read line; echo \"[$line]\"; exit 3"));
        assertEquals(3, result.status(), result.stderr());
        assertEquals("hi\n[]\n", result.stdout(), "stdout and stdin are the wrapper's own");
        Recording recording = PolicyFiles.readRecording(output);
        Run run = recording.runs().get(0);
        assertEquals(3, run.exitStatus());
        assertFalse(run.interrupted());
        assertTrue(recording.syscallCounts(Traced.LINUX.arch()).containsKey("read"));
    }

    @Test
    void appendMergesRuns(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("recording.json");
        assertEquals(0, run(traceMain("--output", output.toString(), "--append", "--", "true")).status());
        assertEquals(0, run(traceMain("--output", output.toString(), "--append", "--mode", "ptrace", "--", "true")).status());
        Recording recording = PolicyFiles.readRecording(output);
        assertEquals(2, recording.runCount());
        assertEquals(List.of("seccomp-trace", "ptrace"), recording.runs().stream().map(Run::backend).toList());
    }

    @Test
    void commandNotFoundExitsLikeAShell(@TempDir Path dir) throws Exception {
        Result result = run(traceMain("--output", dir.resolve("r.json").toString(), "--", "no-such-command-4711"));
        assertEquals(TraceMain.EXIT_COMMAND_NOT_FOUND, result.status());
        assertTrue(result.stderr().startsWith("sandbox trace: command not found: no-such-command-4711"), result.stderr());
        assertFalse(Files.exists(dir.resolve("r.json")));
    }

    @Test
    void usageErrorsAreExplained(@TempDir Path dir) throws Exception {
        Result result = run(traceMain("--", "true"));
        assertEquals(TraceMain.EXIT_TRACER_FAILED, result.status());
        assertTrue(result.stderr().startsWith("sandbox trace: --output FILE is required\nsandbox trace: usage:"), result.stderr());
    }

    @Test
    void unsupportedArchitectureIsNamed(@TempDir Path dir) throws Exception {
        List<String> argv = traceMain("--output", dir.resolve("r.json").toString(), "--", "true");
        argv.add(1, "-Dos.arch=riscv64");
        Result result = run(argv);
        assertEquals(TraceMain.EXIT_TRACER_FAILED, result.status());
        assertEquals("sandbox trace: unsupported architecture riscv64: the sandbox knows x86_64 and aarch64\n", result.stderr());
    }

    @Test
    void ptraceDeniedBySeccompIsExplained(@TempDir Path dir) throws Exception {
        Path filter = Files.write(dir.resolve("deny-ptrace.bpf"), LauncherTest.denyWithEperm(Traced.LINUX.syscallNumber("ptrace")));
        LauncherOptions options = LauncherOptions.builder().noNewPrivs().seccompFilter(filter)
                .command(traceMain("--output", dir.resolve("r.json").toString(), "--", "true")).build();
        LauncherCommand launcher = LauncherCommand.of(options, System.getenv());
        Result result = run(launcher.argv());
        assertEquals(TraceMain.EXIT_TRACER_FAILED, result.status(), result.stderr());
        assertTrue(result.stderr().startsWith("sandbox trace: ptrace not permitted: ptrace(0x4206"), result.stderr());
        assertTrue(result.stderr().contains("EPERM"), result.stderr());
        assertTrue(result.stderr().contains("runs under seccomp (mode 2, 1 filter(s))"), result.stderr());
    }

    @Test
    void terminationKillsTheTreeAndStillWritesTheRecording(@TempDir Path dir) throws Exception {
        Path sleeper = PtraceRecorderTest.uniqueSleep(dir);
        Path output = dir.resolve("recording.json");
        Process process = new ProcessBuilder(traceMain("--output", output.toString(), "--", "sh", "-c", sleeper + " 1000; true"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (PtraceRecorderTest.processesNamed(sleeper.getFileName().toString()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), PtraceRecorderTest.processesNamed(sleeper.getFileName().toString()));
        Run run = PolicyFiles.readRecording(output).runs().get(0);
        assertTrue(run.interrupted());
        assertEquals("SIGKILL", run.signal());
    }
}
