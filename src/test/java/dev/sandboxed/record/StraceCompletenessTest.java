package dev.sandboxed.record;

import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recorder must see every syscall {@code strace -f} sees, for real programs: a shell pipeline with subshells,
 * a multithreaded JVM, python with threads and a subprocess, and tar piping through gzip. Programs with threads
 * are not deterministic, so a name strace saw that the recording lacks is re-checked on fresh runs of both; it
 * fails the test only if strace keeps seeing it while the recorder never does.
 */
class StraceCompletenessTest {

    private static final Path STRACE = Path.of("/usr/bin/strace");
    private static final Pattern CALL = Pattern.compile("^\\d+\\s+([a-z_0-9]+)\\(");
    private static final Pattern UNKNOWN = Pattern.compile("syscall_0x([0-9a-f]+)");
    private static final int ROUNDS = 3;

    @TempDir
    static Path work;

    @BeforeAll
    static void straceIsInstalled() throws IOException {
        if (!Files.isExecutable(STRACE)) {
            System.out.println("strace completeness skipped: " + STRACE + " is not installed");
        }
        Assumptions.assumeTrue(Files.isExecutable(STRACE), "strace not installed");
        Path dir = Files.createDirectories(work.resolve("tree/sub"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("file" + i), ("content " + i + "\n").repeat(1000));
        }
    }

    @ParameterizedTest
    @EnumSource(TracingMode.class)
    void shellPipelineWithSubshells(TracingMode mode) throws Exception {
        assertComplete(mode, "sh", "-c", "(ls /; echo x) | wc -l");
    }

    @ParameterizedTest
    @EnumSource(TracingMode.class)
    void multithreadedJvm(TracingMode mode) throws Exception {
        assertComplete(mode, PtraceRecorderTest.javaCommand(ThreadedProgram.class));
    }

    @ParameterizedTest
    @EnumSource(TracingMode.class)
    void pythonWithThreadsAndSubprocess(TracingMode mode) throws Exception {
        String script = String.join("\n",
                "import subprocess, threading, tempfile, os",
                "def work(i):",
                "    with tempfile.NamedTemporaryFile() as f:",
                "        f.write(b'x' * 100000); f.flush(); os.fsync(f.fileno())",
                "threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]",
                "[t.start() for t in threads]; [t.join() for t in threads]",
                "print(subprocess.run(['ls', '/'], capture_output=True).returncode)");
        assertComplete(mode, "python3", "-c", script);
    }

    @ParameterizedTest
    @EnumSource(TracingMode.class)
    void tarWithGzip(TracingMode mode) throws Exception {
        assertComplete(mode, "tar", "czf", work.resolve("out-" + mode + ".tgz").toString(), "-C", work.toString(), "tree");
    }

    private static void assertComplete(TracingMode mode, String... command) throws Exception {
        SortedSet<String> missing = null;
        List<String> history = new ArrayList<>();
        for (int round = 0; round < ROUNDS && (missing == null || !missing.isEmpty()); round++) {
            SortedSet<String> seenByStrace = strace(command);
            Traced traced = Traced.run(RecordOptions.builder().mode(mode), command);
            assertEquals(0, traced.runInfo().exitStatus(), traced.stderr().toString());
            SortedSet<String> recorded = traced.syscallNames();
            SortedSet<String> absent = new TreeSet<>(seenByStrace);
            absent.removeAll(recorded);
            if (missing == null) {
                missing = absent;
            } else {
                missing.retainAll(seenByStrace);
                missing.removeAll(recorded);
            }
            history.add("round " + round + ": strace saw " + seenByStrace.size() + ", recorder " + recorded.size()
                    + ", strace-only " + absent);
        }
        String shown = String.join(" ", command).replaceAll("\\s+", " ");
        System.out.println(shown.substring(0, Math.min(60, shown.length())) + " [" + mode + "] " + history);
        assertTrue(missing.isEmpty(), "strace saw " + missing + " in every run, the recorder never: " + history);
    }

    /** The syscall names {@code strace -f} prints for a run of {@code command}, in our table's spelling. */
    static SortedSet<String> strace(String... command) throws Exception {
        Path log = Files.createTempFile(work, "strace", ".log");
        List<String> argv = new ArrayList<>(List.of(STRACE.toString(), "-f", "-qq", "-o", log.toString()));
        argv.addAll(List.of(command));
        Process process = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "strace run timed out");
        SortedSet<String> names = new TreeSet<>();
        SyscallTable table = SyscallTable.of(Traced.LINUX.arch());
        for (String line : Files.readAllLines(log)) {
            Matcher call = CALL.matcher(line);
            if (call.find()) {
                String name = call.group(1);
                Matcher unknown = UNKNOWN.matcher(name);
                if (unknown.matches()) {
                    int nr = Integer.parseInt(unknown.group(1), 16);
                    name = table.name(nr).orElse(SyscallNames.UNKNOWN_PREFIX + nr);
                }
                names.add(name);
            }
        }
        return names;
    }
}
