package dev.sandboxed.linux;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the launcher in a real child JVM and checks what the executed command sees. */
public class LauncherTest {

    private final Linux linux = Linux.load();

    record Result(int status, String stdout, String stderr) {
    }

    static Result launch(LauncherOptions options, Map<String, String> environment) throws Exception {
        LauncherCommand command = LauncherCommand.of(options, environment);
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().clear();
        for (String variable : command.environment()) {
            int eq = variable.indexOf('=');
            builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
        }
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static Result launch(LauncherOptions.Builder options) throws Exception {
        return launch(options.build(), System.getenv());
    }

    @Test
    void missingCommandIsReportedWithShellStatus() throws Exception {
        Result result = launch(LauncherOptions.builder().command(List.of("no-such-command-4711")));
        assertEquals(Launcher.EXIT_FAILED, result.status());
        assertEquals("sandbox launcher: command not found: no-such-command-4711\n", result.stderr());
    }

    @Test
    void nonExecutableFileIsReportedAsSuch(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        Result result = launch(LauncherOptions.builder().command(List.of(script.toString())));
        assertEquals(Launcher.EXIT_NOT_EXECUTABLE, result.status());
        assertTrue(result.stderr().startsWith("sandbox launcher: permission denied: "), result.stderr());
    }

    @Test
    void commandRunsWithItsArgumentsAndStatus() throws Exception {
        Result result = launch(LauncherOptions.builder().command(List.of("sh", "-c", "echo \"$0 $1\"; exit 5", "a b", "c")));
        assertEquals(5, result.status());
        assertEquals("a b c\n", result.stdout());
    }

    @Test
    void noNewPrivsIsInheritedByTheCommand() throws Exception {
        Result result = launch(LauncherOptions.builder().noNewPrivs().command(List.of("grep", "NoNewPrivs", "/proc/self/status")));
        assertEquals(0, result.status(), result.stderr());
        assertEquals("NoNewPrivs:\t1\n", result.stdout());
    }

    @Test
    void seccompFilterFromFileIsEnforced(@TempDir Path dir) throws Exception {
        Path filter = dir.resolve("deny-uname.bpf");
        Files.write(filter, denyWithEperm(linux.syscallNumber("uname")));
        Result denied = launch(LauncherOptions.builder().noNewPrivs().seccompFilter(filter).command(List.of("uname")));
        assertEquals(1, denied.status());
        assertTrue(denied.stderr().contains("Operation not permitted"), denied.stderr());
        Result status = launch(LauncherOptions.builder().noNewPrivs().seccompFilter(filter)
                .command(List.of("grep", "^Seccomp:", "/proc/self/status")));
        assertEquals("Seccomp:\t2\n", status.stdout());
    }

    @Test
    void malformedFilterFileIsAFailureNotACommandRun(@TempDir Path dir) throws Exception {
        Path filter = Files.write(dir.resolve("bad.bpf"), new byte[] {1, 2, 3});
        Result result = launch(LauncherOptions.builder().seccompFilter(filter).command(List.of("true")));
        assertEquals(Launcher.EXIT_FAILED, result.status());
        assertTrue(result.stderr().contains("8-byte instructions"), result.stderr());
    }

    @Test
    void landlockConfinesTheFilesystem(@TempDir Path dir) throws Exception {
        int abi = linux.libc().landlockAbiVersion();
        if (abi == 0) {
            System.out.println("Landlock launcher test skipped: this kernel has no Landlock");
        }
        Assumptions.assumeTrue(abi > 0, "kernel without Landlock");
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret");
        Path writable = Files.createDirectory(dir.resolve("writable"));
        LauncherOptions.Builder base = LauncherOptions.builder().noNewPrivs()
                .landlockExecute(Path.of("/usr")).landlockRead(Path.of("/etc")).landlockWrite(writable);
        Path lib64 = Path.of("/lib64");
        if (Files.exists(lib64)) {
            base.landlockExecute(lib64);
        }
        LauncherOptions.Builder reads = copy(base);
        assertEquals(0, launch(reads.command(List.of("cat", "/etc/hostname"))).status());
        Result forbidden = launch(copy(base).command(List.of("cat", secret.toString())));
        assertEquals(1, forbidden.status());
        assertTrue(forbidden.stderr().contains("Permission denied"), forbidden.stderr());
        assertEquals(0, launch(copy(base).command(List.of("touch", writable.resolve("new").toString()))).status());
        assertTrue(Files.exists(writable.resolve("new")));
        assertEquals(1, launch(copy(base).command(List.of("touch", dir.resolve("outside").toString()))).status());
        assertFalse(Files.exists(dir.resolve("outside")));
    }

    private static LauncherOptions.Builder copy(LauncherOptions.Builder builder) {
        LauncherOptions template = builder.command(List.of("true")).build();
        LauncherOptions.Builder copy = LauncherOptions.builder();
        if (template.noNewPrivs()) {
            copy.noNewPrivs();
        }
        template.landlockRead().forEach(copy::landlockRead);
        template.landlockWrite().forEach(copy::landlockWrite);
        template.landlockExecute().forEach(copy::landlockExecute);
        return copy;
    }

    @Test
    void jvmOptionVariablesSkipTheLauncherButReachTheCommand() throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("JAVA_TOOL_OPTIONS", "-Dsandbox.test=1");
        Result result = launch(LauncherOptions.builder().command(List.of("sh", "-c", "echo \"$JAVA_TOOL_OPTIONS\"")).build(),
                environment);
        assertEquals("-Dsandbox.test=1\n", result.stdout());
        assertFalse(result.stderr().contains("Picked up"), "the launcher JVM must not read the user's JVM options");
    }

    @Test
    void optionsRoundTripThroughTheCommandLine() {
        LauncherOptions options = LauncherOptions.builder().handshake(new LauncherOptions.Handshake(3, 4)).traceSeccomp()
                .noNewPrivs().seccompFilter(Path.of("/f.bpf")).landlockRead(Path.of("/etc")).landlockWrite(Path.of("/tmp"))
                .landlockExecute(Path.of("/usr")).environment("A", "b=c").command(List.of("ls", "--", "-l")).build();
        assertEquals(options, LauncherOptions.parse(options.toArguments()));
    }

    @Test
    void badOptionsAreNamed() {
        assertEquals("unknown option --frobnicate", assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse(List.of("--frobnicate", "x", "--", "true"))).getMessage());
        assertEquals("no command: pass it after --", assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse(List.of("--no-new-privs"))).getMessage());
        assertEquals("--env wants NAME=VALUE, got X", assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse(List.of("--env", "X", "--", "true"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse(List.of("--trace-seccomp", "--", "true"))).getMessage().contains("ENOSYS"));
    }

    /** {@code ld arch; jne native -> allow; ld nr; jne nr -> allow; ret ERRNO(EPERM); ret ALLOW}. */
    public static byte[] denyWithEperm(int nr) {
        ByteBuffer program = ByteBuffer.allocate(6 * Seccomp.INSTRUCTION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        instruction(program, 0x20, 0, 0, 4);
        instruction(program, 0x15, 0, 3, Linux.load().arch().auditArch());
        instruction(program, 0x20, 0, 0, 0);
        instruction(program, 0x15, 0, 1, nr);
        instruction(program, 0x06, 0, 0, Seccomp.RET_ERRNO | Errno.EPERM);
        instruction(program, 0x06, 0, 0, Seccomp.RET_ALLOW);
        return program.array();
    }

    @Test
    void aPolicyWrittenForTheCommandAloneNeverMeetsTheLauncherJvm(@TempDir Path dir) throws Exception {
        // Exactly what /bin/true needs; the launcher JVM's futex, clone and GC calls would be killed by it.
        List<String> needs = List.of("read", "close", "mmap", "mprotect", "munmap", "brk", "pread64", "access",
                "execve", "arch_prctl", "set_tid_address", "openat", "newfstatat", "set_robust_list", "prlimit64",
                "rseq", "exit_group", "fstat", "getrandom");
        Path filter = Files.write(dir.resolve("true-only.bpf"), allowOnlyElseKill(needs));
        Result result = launch(LauncherOptions.builder().noNewPrivs().seccompFilter(filter).command(List.of("true")));
        assertEquals(0, result.status(), result.stderr());
        Result killed = launch(LauncherOptions.builder().noNewPrivs().seccompFilter(filter).command(List.of("uname")));
        assertEquals(128 + Signals.SIGSYS, killed.status(), "uname makes calls the filter lacks (uname(2) among them) and is killed");
    }

    @Test
    void logFlagMakesTheKernelLogErrnoDenials(@TempDir Path dir) throws Exception {
        Path filter = dir.resolve("deny-uname.bpf");
        Files.write(filter, denyWithEperm(linux.syscallNumber("uname")));
        LauncherOptions options = LauncherOptions.builder().noNewPrivs().seccompFilter(filter).seccompLog()
                .command(List.of("uname")).build();
        assertTrue(options.toArguments().contains("--seccomp-log"));
        assertEquals(options, LauncherOptions.parse(options.toArguments()));
        assertEquals(1, launch(options, System.getenv()).status());
        assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse(List.of("--seccomp-log", "--", "true")));
    }

    /** {@code ld arch; jne -> kill; ld nr; jeq each -> allow; ret KILL_PROCESS}. */
    static byte[] allowOnlyElseKill(List<String> names) {
        List<Integer> numbers = names.stream().map(Linux.load()::syscallNumber).toList();
        int length = 4 + numbers.size() + 2;
        ByteBuffer program = ByteBuffer.allocate(length * Seccomp.INSTRUCTION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        instruction(program, 0x20, 0, 0, 4);
        instruction(program, 0x15, 1, 0, Linux.load().arch().auditArch());
        instruction(program, 0x06, 0, 0, Seccomp.RET_KILL_PROCESS);
        instruction(program, 0x20, 0, 0, 0);
        for (int i = 0; i < numbers.size(); i++) {
            instruction(program, 0x15, numbers.size() - i, 0, numbers.get(i));
        }
        instruction(program, 0x06, 0, 0, Seccomp.RET_KILL_PROCESS);
        instruction(program, 0x06, 0, 0, Seccomp.RET_ALLOW);
        return program.array();
    }

    private static void instruction(ByteBuffer program, int code, int jt, int jf, int k) {
        program.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }

}
