package dev.sandboxed.record;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.PolicyFiles;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eBPF recorder on the real kernel: scope, components, arguments, paths, against the ptrace recorder. */
class EbpfRecorderTest {

    private static final String PYTHON_THREADS_AND_CHILD = String.join("\n",
            "import os, threading, subprocess",
            "def work():",
            "    for _ in range(1000): os.getppid()",
            "threads = [threading.Thread(target=work) for _ in range(3)]",
            "[t.start() for t in threads]; [t.join() for t in threads]",
            "pid = os.fork()",
            "if pid == 0:",
            "    for _ in range(500): os.getppid()",
            "    os._exit(0)",
            "os.waitpid(pid, 0)",
            "subprocess.run(['true'])",
            "print('ok')");

    @BeforeEach
    void ebpfIsPermitted() {
        EbpfAvailability.assumeAvailable();
    }

    private static Traced ebpf(String... command) {
        return Traced.run(RecordOptions.builder().mode(TracingMode.EBPF), command);
    }

    @Test
    void threadsAndForkedChildrenAreCountedExactlyAsPtraceCountsThem() {
        Traced ebpf = ebpf("python3", "-c", PYTHON_THREADS_AND_CHILD);
        Traced ptrace = Traced.run(RecordOptions.builder().mode(TracingMode.SECCOMP), "python3", "-c", PYTHON_THREADS_AND_CHILD);
        assertEquals("ebpf", ebpf.runInfo().backend());
        assertEquals(List.of("ok"), ebpf.stdout());
        long getppid = count(ebpf, "getppid");
        assertTrue(getppid >= 3500, "3 threads x 1000 + a forked child's 500, counted once each: " + getppid);
        assertEquals(count(ptrace, "getppid"), getppid, "the same count as the ptrace recorder");
        assertEquals(ptrace.components().keySet(), ebpf.components().keySet(), "the same components");
    }

    @Test
    void processesOutsideTheTreeAreNotCounted() throws Exception {
        Process outsider = new ProcessBuilder("python3", "-c",
                "import os, time\nend = time.time() + 30\nwhile time.time() < end: os.sched_yield()")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Traced traced = ebpf("sh", "-c", "sleep 0.3; ls / > /dev/null");
            assertTrue(outsider.isAlive(), "the outsider kept calling sched_yield throughout");
            assertFalse(traced.syscallNames().contains("sched_yield"), traced.syscallNames().toString());
            long total = traced.components().values().stream()
                    .flatMap(c -> c.syscalls().values().stream()).mapToLong(u -> u.count()).sum();
            assertTrue(total < 5000, "only the tree's few calls, not the outsider's millions or this JVM's: " + total);
        } finally {
            outsider.destroyForcibly();
            outsider.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachExecutedProgramIsItsOwnComponent() throws Exception {
        Traced traced = ebpf("sh", "-c", "(ls / > /dev/null; echo x) | cat > /dev/null");
        String sh = PtraceRecorderTest.resolved("sh");
        assertEquals(Set.of(sh, PtraceRecorderTest.resolved("ls"), PtraceRecorderTest.resolved("cat")),
                traced.components().keySet());
        Component shell = traced.component(sh);
        assertTrue(shell.syscalls().containsKey("execve"), "the command's own exec, as ptrace records it");
        assertTrue(shell.paths().get(PtraceRecorderTest.resolved("ls")).contains(FileAccess.EXECUTE));
        assertTrue(traced.component(PtraceRecorderTest.resolved("ls")).syscalls().containsKey("getdents64"));
        assertFalse(shell.syscalls().containsKey("getdents64"), "ls's calls are not the shell's");
        assertFalse(shell.syscalls().containsKey("read") && shell.syscalls().get("read").count() > 100,
                "the launching shell's handshake read is not recorded");
    }

    @Test
    void decidingArgumentsAddressesAndPathsAreRecorded(@TempDir Path dir) throws Exception {
        Path real = dir.toRealPath();
        String unixPath = real.resolve("s").toString();
        String script = String.join("\n",
                "import socket, threading, mmap, os",
                "srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM); srv.bind(('127.0.0.1', 0))",
                "u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); u.bind('" + unixPath + "')",
                "t = threading.Thread(target=lambda: None); t.start(); t.join()",
                "open('relative.txt', 'w').close()",
                "os.chdir('/tmp')",
                "open('after-chdir.txt', 'w').close(); os.unlink('after-chdir.txt')");
        Traced traced = Traced.run(RecordOptions.builder().mode(TracingMode.EBPF).workingDirectory(real),
                "python3", "-c", script);
        assertEquals(0, traced.runInfo().exitStatus(), traced.stderr().toString());
        assertTrue(traced.argumentValues("socket", 0).containsAll(List.of(1L, 2L)), "AF_UNIX and AF_INET");
        assertTrue(traced.argumentValues("socket", 1).stream().map(t -> t & 0xf).toList().containsAll(List.of(1L, 2L)),
                "SOCK_STREAM and SOCK_DGRAM in " + traced.argumentValues("socket", 1));
        List<Long> clone = new ArrayList<>(traced.argumentValues("clone3", 0));
        clone.addAll(traced.argumentValues("clone", 0));
        assertTrue(clone.stream().anyMatch(f -> (f & 0x10100) == 0x10100), "CLONE_THREAD|CLONE_VM in " + clone);
        Set<Long> mmap = traced.argumentValues("mmap", 2);
        assertFalse(mmap.isEmpty(), "the loader maps code with PROT_EXEC");
        assertTrue(mmap.stream().allMatch(prot -> (prot & 4) != 0), "only PROT_EXEC mmaps are kept: " + mmap);
        assertTrue(traced.addresses().containsAll(List.of("bind inet:127.0.0.1:0", "bind unix:" + unixPath)),
                traced.addresses().toString());
        Component python = traced.components().values().stream()
                .filter(c -> c.paths().containsKey(real.resolve("relative.txt").toString())).findFirst().orElseThrow(
                        () -> new AssertionError("relative.txt, resolved against the run's directory"));
        assertEquals(Set.of(FileAccess.WRITE, FileAccess.CREATE), python.paths().get(real.resolve("relative.txt").toString()));
        assertNull(python.paths().get(real.resolve("after-chdir.txt").toString()),
                "a path relative to a changed directory is never resolved against the old one");
        assertNull(python.paths().get("/tmp/after-chdir.txt"), "nor guessed");
    }

    @Test
    void exitStatusAndSignalPassThrough() {
        Run run = ebpf("sh", "-c", "kill -TERM $$").runInfo();
        assertEquals(128 + 15, run.exitStatus());
        assertEquals("SIGTERM", run.signal());
        assertFalse(run.interrupted());
    }

    @Test
    void aDaemonOutlivingTheRootIsWaitedFor(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("marker");
        Traced traced = ebpf("sh", "-c", "(sleep 0.5; echo late > " + marker + ") & exit 0");
        assertEquals(0, traced.runInfo().exitStatus());
        assertTrue(Files.exists(marker), "the recording ends when the orphan has, not when the root exited");
        assertTrue(traced.components().containsKey(PtraceRecorderTest.resolved("sleep")));
    }

    @Test
    void timeoutKillsTheWholeTree(@TempDir Path dir) throws Exception {
        Path sleeper = PtraceRecorderTest.uniqueSleep(dir);
        Traced traced = Traced.run(RecordOptions.builder().mode(TracingMode.EBPF).timeout(Duration.ofMillis(500)),
                "sh", "-c", "(" + sleeper + " 1000 &) ; " + sleeper + " 1000");
        assertTrue(traced.runInfo().interrupted());
        Process pgrep = new ProcessBuilder("pgrep", "-f", sleeper.toString()).start();
        assertEquals(1, pgrep.waitFor(), "no sleeper left: " + new String(pgrep.getInputStream().readAllBytes()));
    }

    /**
     * Not permitted, honestly: TraceMain runs as root with every capability dropped (bounding set emptied before
     * its exec), so bpf(2) fails with EPERM in the kernel, and the recording falls back and says so once.
     */
    @Test
    void withoutCapabilitiesItFallsBackToPtraceAndSaysWhyInOneLine(@TempDir Path dir) throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        if (!Files.isExecutable(setpriv)) {
            System.out.println("fallback test skipped: " + setpriv + " (util-linux) is not installed");
        }
        Assumptions.assumeTrue(Files.isExecutable(setpriv), "setpriv not installed");
        Path output = dir.resolve("recording.json");
        List<String> argv = new ArrayList<>(List.of(setpriv.toString(), "--inh-caps=-all", "--bounding-set=-all", "--"));
        argv.addAll(TraceMainTest.traceMain("--output", output.toString(), "--mode", "ebpf", "--", "sh", "-c", "echo hi"));
        TraceMainTest.Result result = TraceMainTest.run(argv);
        assertEquals(0, result.status(), result.stderr());
        List<String> notices = result.stderr().lines().filter(line -> line.startsWith("sandbox trace: ")).toList();
        assertEquals(1, notices.size(), result.stderr());
        assertTrue(notices.get(0).startsWith("sandbox trace: eBPF recording unavailable, recording with seccomp-assisted"
                + " ptrace instead: not permitted"), notices.get(0));
        assertTrue(notices.get(0).contains("EPERM"), notices.get(0));
        Recording recording = PolicyFiles.readRecording(output);
        assertEquals("seccomp-trace", recording.runs().get(0).backend());
        assertTrue(recording.components().values().stream().flatMap(byExe -> byExe.values().stream())
                .anyMatch(c -> c.syscalls().containsKey("write")), "the fallback still records");
    }

    private static long count(Traced traced, String syscall) {
        SortedMap<String, Long> byComponent = new TreeMap<>();
        for (Map.Entry<String, Component> entry : traced.components().entrySet()) {
            if (entry.getValue().syscalls().containsKey(syscall)) {
                byComponent.put(entry.getKey(), entry.getValue().syscalls().get(syscall).count());
            }
        }
        return byComponent.values().stream().mapToLong(Long::longValue).sum();
    }
}
