package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel loads compiled programs and enforces them as the policy says. Each program is installed in a child
 * process by {@code bwrap --seccomp}, which hands the raw bytes to the kernel right before it runs the command.
 */
class KernelInstallTest {

    private static final int SIGSYS = 31;

    private static Arch arch;
    private static Path bwrap;

    @TempDir
    Path directory;

    @BeforeAll
    static void needsBubblewrap() throws Exception {
        Optional<Arch> current = Arch.current();
        String noArch = "skipped: the JVM runs on " + System.getProperty("os.arch") + ", which has no syscall table";
        if (current.isEmpty()) {
            System.out.println(noArch);
        }
        assumeTrue(current.isPresent(), noArch);
        arch = current.get();
        Optional<Path> found = Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/bin", "/bin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "bwrap"))
                .filter(Files::isExecutable)
                .findFirst();
        String noBwrap = "skipped: bwrap is not installed (apt-get install -y bubblewrap)";
        if (found.isEmpty()) {
            System.out.println(noBwrap);
        }
        assumeTrue(found.isPresent(), noBwrap);
        bwrap = found.get();
        Process probe = new ProcessBuilder(bwrap.toString(), "--ro-bind", "/", "/", "--", "/bin/true")
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean works = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        String broken = "skipped: bwrap cannot create a sandbox here: " + output.strip();
        if (!works) {
            System.out.println(broken);
        }
        assumeTrue(works, broken);
    }

    @Test
    void deniedCallFailsWithThePolicysErrno() throws Exception {
        Path filter = write(Policy.of(Action.allow(), Map.of(arch, List.of(Rule.of("uname", Action.errno(13), "")))));
        assertEquals(0, run(filter, "/bin/true").exit);
        Result uname = run(filter, "uname");
        assertEquals(1, uname.exit, uname.output);
        assertTrue(uname.output.contains("Permission denied"), uname.output);
    }

    @Test
    void deniedCallKillsTheProcess() throws Exception {
        Path filter = write(Policy.of(Action.allow(), Map.of(arch, List.of(Rule.of("uname", Action.killProcess(), "")))));
        assertEquals(0, run(filter, "/bin/true").exit);
        assertEquals(128 + SIGSYS, run(filter, "uname").exit);
    }

    @Test
    void allowListWithAnArgumentRule() throws Exception {
        // Everything but uname; openat only without O_CREAT. The default answers EPERM.
        List<Rule> rules = new ArrayList<>();
        for (String name : SyscallTable.of(arch).names()) {
            if (!name.equals("uname") && !name.equals("openat")) {
                rules.add(Rule.allow(name, "kernel test"));
            }
        }
        int oCreat = 0100;
        rules.add(Rule.of("openat", Action.errno(13), "no new files", Condition.masked(2, oCreat, oCreat, Width.BITS32)));
        rules.add(Rule.allow("openat", "reading is fine"));
        Path filter = write(Policy.of(Action.errno(1), Map.of(arch, rules)));
        assertEquals(0, run(filter, "/bin/true").exit);
        Result read = run(filter, "/bin/sh", "-c", "read line < /etc/passwd");
        assertEquals(0, read.exit, read.output);
        Result create = run(filter, "/bin/sh", "-c", ": > /tmp/created");
        assertTrue(create.exit != 0 && create.output.contains("Permission denied"), create.output);
        Result uname = run(filter, "uname");
        assertTrue(uname.exit == 1 && uname.output.contains("Operation not permitted"), uname.output);
    }

    private Path write(Policy policy) throws IOException {
        Program program = new SeccompCompiler().compile(policy).get(arch);
        Verifier.verify(program);
        Path file = Files.createTempFile(directory, "filter", ".bpf");
        Files.write(file, program.toBytes());
        return file;
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command under bwrap with the filter on file descriptor 3, which a shell redirection opens. */
    private static Result run(Path filter, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("/bin/sh", "-c",
                "exec \"$0\" --ro-bind / / --dev /dev --tmpfs /tmp --seccomp 3 -- \"$@\" 3< \"$FILTER\"",
                bwrap.toString()));
        args.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("FILTER", filter.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Result(process.exitValue(), output);
    }
}
