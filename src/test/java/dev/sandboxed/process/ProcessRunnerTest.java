package dev.sandboxed.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    private final ProcessRunner runner = ProcessRunner.create();

    @TempDir
    Path temp;

    @Test
    void streamsBothOutputsLineByLineAndReportsTheExitCode() throws IOException {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        Path log = temp.resolve("logs/run.log");
        ProcessResult result = runner.run(Command.of("sh", "-c", "echo one; echo two >&2; echo three; exit 3")
                .withStdout(out::add).withStderr(err::add).withLogFile(log));

        assertEquals(Termination.EXITED, result.termination());
        assertEquals(3, result.exitCode());
        assertFalse(result.succeeded());
        assertEquals(List.of("one", "three"), out);
        assertEquals(List.of("two"), err);
        assertEquals(List.of("two"), result.stderrTail());
        List<String> logged = Files.readAllLines(log);
        assertEquals(3, logged.size());
        assertTrue(logged.containsAll(List.of("one", "two", "three")));
        ProcessFailedException failure = assertThrows(ProcessFailedException.class, result::requireSuccess);
        assertTrue(failure.getMessage().contains("exited with 3: two"), failure.getMessage());
    }

    @Test
    void deliversLinesWhileTheProgramIsStillRunning() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        runner.run(Command.of("sh", "-c", "echo early; sleep 1; echo late")
                .withStdout(line -> arrivals.add(System.nanoTime() - start)));
        assertEquals(2, arrivals.size());
        assertTrue(arrivals.get(1) - arrivals.get(0) > Duration.ofMillis(700).toNanos(),
                "the first line should arrive before the program sleeps, not with the last one: " + arrivals);
    }

    @Test
    void passesEnvironmentWorkingDirectoryAndStdin() throws IOException {
        Path input = Files.writeString(temp.resolve("input.txt"), "from a file\n");
        ProcessResult result = runner.run(Command.of("sh", "-c", "echo \"$GREETING\"; pwd; cat")
                .withEnvironment(Map.of("GREETING", "hello there"))
                .withWorkingDirectory(temp)
                .withStdin(input)
                .capturingStdout());
        assertEquals("hello there\n" + temp.toRealPath() + "\nfrom a file\n", result.stdout());
    }

    @Test
    void anExactEnvironmentInheritsNothingFromThisJvm() {
        assertTrue(System.getenv().containsKey("PATH"), "the test needs a variable this JVM has");
        ProcessResult result = runner.run(Command.of("/usr/bin/env").withExactEnvironment(Map.of("ONLY", "me"))
                .withTimeout(Duration.ofSeconds(10)).capturingStdout());
        assertEquals("ONLY=me\n", result.stdout());
        ProcessResult copied = runner.run(Command.of("/usr/bin/env").withExactEnvironment(Map.of("ONLY", "me"))
                .withEnvironment(Map.of("ALSO", "you")).withTimeout(Duration.ofSeconds(10)).capturingStdout());
        assertEquals(List.of("ALSO=you", "ONLY=me"), copied.stdout().lines().sorted().toList(),
                "later changes keep the environment exact");
    }

    @Test
    void withoutStdinTheProgramReadsEndOfFileInsteadOfHanging() {
        ProcessResult result = runner.run(Command.of("sh", "-c", "cat; echo done").capturingStdout()
                .withTimeout(Duration.ofSeconds(10)));
        assertEquals(Termination.EXITED, result.termination());
        assertEquals("done\n", result.stdout());
    }

    @Test
    void aMissingProgramIsNamed() {
        CommandNotFoundException missing = assertThrows(CommandNotFoundException.class,
                () -> runner.run(Command.of("no-such-program-here", "--version")));
        assertTrue(missing.getMessage().startsWith("command not found: no-such-program-here"), missing.getMessage());

        CommandNotFoundException notExecutable = assertThrows(CommandNotFoundException.class,
                () -> runner.run(Command.of(temp.resolve("absent").toString())));
        assertTrue(notExecutable.getMessage().contains("no such file"), notExecutable.getMessage());
    }

    @Test
    void aTimeoutKillsTheWholeTree() throws Exception {
        Path pids = temp.resolve("pids");
        ProcessResult result = runner.run(Command.of("sh", "-c",
                        "sleep 300 & echo $! > " + pids + "; sh -c 'sleep 300' & echo $! >> " + pids + "; wait")
                .withTimeout(Duration.ofMillis(700)));

        assertEquals(Termination.TIMED_OUT, result.termination());
        assertThrows(ProcessFailedException.class, result::requireSuccess);
        assertTrue(result.elapsed().toMillis() < 5_000, "killed promptly: " + result.elapsed());
        assertAllGone(Files.readAllLines(pids));
    }

    @Test
    void interruptingTheCallerKillsTheTreeAndKeepsTheInterruptFlag() throws Exception {
        Path pids = temp.resolve("pids");
        AtomicReference<ProcessResult> result = new AtomicReference<>();
        AtomicReference<Boolean> flagAfterwards = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            result.set(runner.run(Command.of("sh", "-c", "sleep 300 & echo $! > " + pids + "; wait")
                    .withTimeout(Duration.ofMinutes(5))));
            flagAfterwards.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(pids) && Files.size(pids) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        caller.interrupt();
        caller.join(10_000);

        assertFalse(caller.isAlive());
        assertEquals(Termination.INTERRUPTED, result.get().termination());
        assertTrue(flagAfterwards.get(), "the interrupt must stay visible to the caller");
        assertAllGone(Files.readAllLines(pids));
    }

    @Test
    void aFailingConsumerDoesNotBlockTheProgramAndIsRethrown() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> runner.run(
                Command.of("sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done")
                        .withTimeout(Duration.ofSeconds(30))
                        .withStdout(line -> {
                            throw new IllegalStateException("sink broke at " + line);
                        })));
        assertEquals("sink broke at line 0", thrown.getMessage());
    }

    @Test
    void invalidCommandsAreRejectedUpFront() {
        assertThrows(IllegalArgumentException.class, () -> Command.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Command.of("sh").withTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Command.of("sh", (String) null));
        assertEquals("sh -c 'echo it'\\''s'", Command.of("sh", "-c", "echo it's").toString());
    }

    /** SIGKILL is delivered asynchronously, so a just-killed process may take a moment to stop running. */
    private static void assertAllGone(List<String> pidLines) throws InterruptedException {
        assertFalse(pidLines.isEmpty(), "the script recorded its children");
        for (String line : pidLines) {
            long pid = Long.parseLong(line.strip());
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            boolean alive = true;
            while (alive && System.nanoTime() < deadline) {
                alive = ProcessHandle.of(pid).map(ProcessRunnerTest::runningNotZombie).orElse(false);
                if (alive) {
                    Thread.sleep(10);
                }
            }
            assertFalse(alive, "descendant " + pid + " survived");
        }
    }

    private static boolean runningNotZombie(ProcessHandle handle) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"),
                    StandardCharsets.US_ASCII);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }
}
