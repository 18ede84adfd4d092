package dev.sandboxed.record;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PtraceRecorderTest {

    @ParameterizedTest
    @EnumSource(TracingMode.class)
    void exitCodeAndOutputPassThrough(TracingMode mode) {
        Traced traced = Traced.run(RecordOptions.builder().mode(mode), "sh", "-c", "echo out; echo err >&2; exit 42");
        Run run = traced.runInfo();
        assertEquals(42, run.exitStatus());
        assertEquals("", run.signal());
        assertFalse(run.interrupted());
        assertEquals(mode.backend(), run.backend());
        assertEquals("sh -c 'echo out; echo err >&2; exit 42'", run.command());
        assertEquals(List.of("out"), traced.stdout());
        assertEquals(List.of("err"), traced.stderr());
        Component sh = traced.component(resolved("sh"));
        assertTrue(sh.syscalls().containsKey("execve"), "the command's own exec is recorded");
        assertTrue(sh.syscalls().containsKey("exit_group"));
        assertTrue(sh.syscalls().get("write").count() >= 2);
    }

    @Test
    void theSeccompModeFiltersTheCommandFromItsFirstInstruction() {
        Traced traced = Traced.run(RecordOptions.builder().mode(TracingMode.SECCOMP),
                "grep", "-E", "^(Seccomp|Seccomp_filters):", "/proc/self/status");
        assertEquals(List.of("Seccomp:\t2", "Seccomp_filters:\t1"), traced.stdout());
        // The dynamic loader's first calls are seen: the filter was there before the command ran anything.
        assertTrue(traced.component(resolved("grep")).syscalls().keySet().containsAll(Set.of("brk", "mmap", "openat")),
                traced.component(resolved("grep")).syscalls().keySet().toString());
    }

    @ParameterizedTest
    @EnumSource(TracingMode.class)
    void theCommandGetsExactlyTheEnvironmentAskedFor(TracingMode mode) {
        RecordOptions.Builder options = RecordOptions.builder().mode(mode)
                .environment(java.util.Map.of("PATH", System.getenv("PATH"), "ONLY", "this"));
        assertEquals(Set.of("PATH=" + System.getenv("PATH"), "ONLY=this"), Set.copyOf(Traced.run(options, "env").stdout()),
                "no PWD of the launcher's own");
    }

    @Test
    void killedBySignalIsRecordedWithTheSignalsName() {
        Run run = Traced.run("sh", "-c", "kill -TERM $$").runInfo();
        assertEquals(128 + 15, run.exitStatus());
        assertEquals("SIGTERM", run.signal());
        assertFalse(run.interrupted(), "the command killed itself; the tracer did not cut it short");
    }

    @Test
    void commandNotFoundIsATypedError() {
        CommandNotFoundException e = assertThrows(CommandNotFoundException.class,
                () -> Traced.run("no-such-command-4711", "x"));
        assertEquals("no-such-command-4711", e.command());
        assertTrue(e.getMessage().startsWith("command not found: no-such-command-4711 (searched PATH="), e.getMessage());
    }

    @Test
    void handledSignalsBehaveAsUntraced() throws Exception {
        String script = String.join("\n",
                "import os, signal, subprocess",
                "got = []",
                "for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGUSR1):",
                "    signal.signal(s, lambda n, f: got.append(signal.Signals(n).name))",
                "os.kill(os.getpid(), signal.SIGINT)",
                "os.kill(os.getpid(), signal.SIGTERM)",
                "os.kill(os.getpid(), signal.SIGUSR1)",
                "subprocess.run(['true'])",
                "print(' '.join(sorted(set(got))))");
        Traced traced = Traced.run("python3", "-c", script);
        assertEquals(untracedOutput("python3", "-c", script), traced.stdout());
        assertEquals(List.of("SIGCHLD SIGINT SIGTERM SIGUSR1"), traced.stdout());
        assertEquals(0, traced.runInfo().exitStatus());
    }

    @Test
    void unhandledSignalKillsAsUntraced() {
        Run run = Traced.run("sh", "-c", "kill -USR1 $$; echo not reached").runInfo();
        assertEquals(128 + 10, run.exitStatus());
        assertEquals("SIGUSR1", run.signal());
    }

    @Test
    void stoppedProcessStaysStoppedUntilContinued() {
        // The subshell is stopped for a second although its own work takes 0.3 s: its line must come last.
        Traced traced = Traced.run("sh", "-c",
                "(sleep 0.3; echo child) & pid=$!; kill -STOP $pid; sleep 1; echo parent; kill -CONT $pid; wait");
        assertEquals(List.of("parent", "child"), traced.stdout());
        assertEquals(0, traced.runInfo().exitStatus());
    }

    @Test
    void everyChildOfAForkStormIsFollowed() {
        Traced traced = Traced.run("sh", "-c", "for i in $(seq 100); do (exit 0) & done; wait; echo all done");
        assertEquals(List.of("all done"), traced.stdout());
        Component sh = traced.component(resolved("sh"));
        assertTrue(sh.syscalls().get("exit_group").count() >= 101, "each subshell exits: " + sh.syscalls().get("exit_group"));
    }

    @ParameterizedTest
    @EnumSource(TracingMode.class)
    void threadedJvmIsRecordedWithCloneFlags(TracingMode mode) throws IOException {
        Traced traced = Traced.run(RecordOptions.builder().mode(mode), javaCommand(ThreadedProgram.class));
        assertEquals(List.of("threads done"), traced.stdout());
        Component java = traced.component(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath().toString());
        assertTrue(java.syscalls().containsKey("clone3") || java.syscalls().containsKey("clone"), java.syscalls().keySet().toString());
        long threadFlags = 0x10000 | 0x100;
        List<Long> flags = new ArrayList<>(traced.argumentValues("clone3", 0));
        flags.addAll(traced.argumentValues("clone", 0));
        assertTrue(flags.stream().anyMatch(f -> (f & threadFlags) == threadFlags), "CLONE_THREAD|CLONE_VM in " + flags);
        assertTrue(java.paths().keySet().stream().anyMatch(p -> p.contains("sandbox-threads") && p.endsWith("/t0")));
        assertTrue(traced.argumentValues("mmap", 2).stream().allMatch(prot -> (prot & 4) != 0), "only PROT_EXEC mmaps are kept");
    }

    @Test
    void filesAreRecordedWithTheirAccessResolvedAgainstCwdAndDirfd(@TempDir Path dir) throws Exception {
        Path real = dir.toRealPath();
        String script = "cd " + real + " && echo a > f && mv f g && rm g && mkdir d && rmdir d && cat /etc/hostname >/dev/null"
                + " && python3 -c \"import os; d = os.open('.', os.O_RDONLY); os.close(os.open('h', os.O_WRONLY | os.O_CREAT, dir_fd=d))\"";
        Traced traced = Traced.run("sh", "-c", script);
        assertEquals(0, traced.runInfo().exitStatus(), traced.stderr().toString());
        Component sh = traced.component(resolved("sh"));
        assertEquals(Set.of(FileAccess.WRITE, FileAccess.CREATE), sh.paths().get(real.resolve("f").toString()));
        assertTrue(sh.paths().get(resolved("mv")).contains(FileAccess.EXECUTE));
        assertEquals(Set.of(FileAccess.DELETE), traced.component(resolved("mv")).paths().get(real.resolve("f").toString()));
        assertEquals(Set.of(FileAccess.CREATE), traced.component(resolved("mv")).paths().get(real.resolve("g").toString()));
        assertEquals(Set.of(FileAccess.DELETE), traced.component(resolved("rm")).paths().get(real.resolve("g").toString()));
        assertEquals(Set.of(FileAccess.CREATE), traced.component(resolved("mkdir")).paths().get(real.resolve("d").toString()));
        assertEquals(Set.of(FileAccess.DELETE), traced.component(resolved("rmdir")).paths().get(real.resolve("d").toString()));
        assertEquals(Set.of(FileAccess.READ), traced.component(resolved("cat")).paths().get("/etc/hostname"));
        boolean pythonCreated = traced.components().values().stream()
                .anyMatch(c -> Set.of(FileAccess.WRITE, FileAccess.CREATE).equals(c.paths().get(real.resolve("h").toString())));
        assertTrue(pythonCreated, "openat relative to a directory fd is resolved through /proc/PID/fd");
    }

    @Test
    void socketAddressesAndFamiliesAreRecorded(@TempDir Path dir) throws Exception {
        String unixPath = dir.toRealPath().resolve("s").toString();
        String script = String.join("\n",
                "import socket",
                "srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
                "srv.bind(('127.0.0.1', 0)); srv.listen(1)",
                "port = srv.getsockname()[1]",
                "c = socket.create_connection(('127.0.0.1', port)); c.close()",
                "u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); u.bind('" + unixPath + "'); u.listen(1)",
                "v = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); v.connect('" + unixPath + "'); v.close()",
                "a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); a.bind('\\0sandbox-abstract')",
                "print(port)");
        Traced traced = Traced.run("python3", "-c", script);
        assertEquals(0, traced.runInfo().exitStatus(), traced.stderr().toString());
        String port = traced.stdout().get(0);
        assertTrue(traced.addresses().containsAll(List.of("bind inet:127.0.0.1:0", "connect inet:127.0.0.1:" + port,
                "bind unix:" + unixPath, "connect unix:" + unixPath, "bind unix:@sandbox-abstract")), traced.addresses().toString());
        assertTrue(traced.argumentValues("socket", 0).containsAll(List.of(1L, 2L)), "AF_UNIX and AF_INET");
    }

    @Test
    void foreignAbiCallsAreRecordedUnderAMarkedName() throws Exception {
        Assumptions.assumeTrue(Traced.LINUX.arch() == Arch.X86_64, "int 0x80 exists on x86_64 only");
        // mov eax, 20 (i386 getpid); int 0x80; ret — run from executable memory by python's ctypes.
        String script = String.join("\n",
                "import ctypes, mmap",
                "code = bytes([0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0xc3])",
                "m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)",
                "m.write(code)",
                "addr = ctypes.addressof(ctypes.c_char.from_buffer(m))",
                "print(ctypes.CFUNCTYPE(ctypes.c_int)(addr)())");
        List<String> untraced = untracedOutput("python3", "-c", script);
        if (untraced.isEmpty()) {
            System.out.println("foreign ABI test skipped: this kernel does not run i386 syscalls (no IA32 emulation)");
        }
        Assumptions.assumeFalse(untraced.isEmpty(), "no IA32 emulation");
        Traced traced = Traced.run("python3", "-c", script);
        assertEquals(0, traced.runInfo().exitStatus(), traced.stderr().toString());
        assertTrue(traced.syscallNames().contains("i386:20"), traced.syscallNames().toString());
    }

    @Test
    void timeoutKillsTheWholeTreeAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path sleeper = uniqueSleep(dir);
        long start = System.nanoTime();
        Traced traced = Traced.run(RecordOptions.builder().timeout(Duration.ofSeconds(2)), "sh", "-c",
                sleeper + " 1000 & " + sleeper + " 1000 & (" + sleeper + " 1000 &); " + sleeper + " 1000 & kill -STOP $!; "
                        + "echo started; wait");
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30);
        assertEquals(List.of("started"), traced.stdout());
        Run run = traced.runInfo();
        assertTrue(run.interrupted());
        assertEquals("SIGKILL", run.signal());
        assertEquals(List.of(), processesNamed(sleeper.getFileName().toString()));
    }

    @Test
    void orphansOutlivingTheirParentAreFollowedAndReaped(@TempDir Path dir) throws Exception {
        Path sleeper = uniqueSleep(dir);
        Traced traced = Traced.run("sh", "-c", "(" + sleeper + " 0.3 &); (" + sleeper + " 0.1 &); exit 0");
        assertEquals(0, traced.runInfo().exitStatus());
        assertTrue(traced.components().containsKey(sleeper.toString()), "the orphans are still traced");
        assertEquals(2, traced.component(sleeper.toString()).syscalls().get("exit_group").count());
        assertEquals(List.of(), processesNamed(sleeper.getFileName().toString()));
    }

    @Test
    void interruptingTheCallerKillsTheTree(@TempDir Path dir) throws Exception {
        Path sleeper = uniqueSleep(dir);
        AtomicReference<Recording> result = new AtomicReference<>();
        Thread caller = new Thread(() -> result.set(new PtraceRecorder(Traced.LINUX).record(
                List.of("sh", "-c", sleeper + " 1000 & " + sleeper + " 1000; wait"),
                RecordOptions.builder().output((s, l) -> { }).build())));
        caller.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (processesNamed(sleeper.getFileName().toString()).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        caller.interrupt();
        caller.join(30_000);
        assertFalse(caller.isAlive());
        assertTrue(result.get().runs().get(0).interrupted());
        assertEquals(List.of(), processesNamed(sleeper.getFileName().toString()));
    }

    @Test
    void outputIsAlsoCopiedToAFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Traced traced = Traced.run(RecordOptions.builder().outputFile(log), "sh", "-c", "echo one; echo two");
        assertEquals(List.of("one", "two"), traced.stdout());
        assertEquals("one\ntwo\n", Files.readString(log));
    }

    /** A copy of sleep under a name no other process has, so leftovers can be found in /proc by name. */
    static Path uniqueSleep(Path dir) throws IOException {
        Path copy = dir.resolve("slp" + UUID.randomUUID().toString().substring(0, 8));
        Files.copy(Path.of(resolved("sleep")), copy, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    /** Pid and state of every process, zombies included, whose command name is {@code name}. */
    static List<String> processesNamed(String name) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path pid : proc) {
                try {
                    String stat = Files.readString(pid.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    if (stat.substring(open + 1, close).equals(name)) {
                        found.add(pid.getFileName() + " " + stat.substring(close + 2, close + 3));
                    }
                } catch (IOException e) {
                    // Exited while listing.
                }
            }
        }
        return found;
    }

    static String resolved(String command) {
        try {
            for (String dir : System.getenv("PATH").split(":")) {
                Path candidate = Path.of(dir, command);
                if (Files.isExecutable(candidate)) {
                    return candidate.toRealPath().toString();
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(command + " not on PATH");
    }

    static String[] javaCommand(Class<?> main) {
        return new String[] {Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), main.getName()};
    }

    static List<String> untracedOutput(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
