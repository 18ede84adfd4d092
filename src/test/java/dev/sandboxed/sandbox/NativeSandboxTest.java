package dev.sandboxed.sandbox;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native runtime with plain programs and small policies, on the real kernel. */
class NativeSandboxTest {

    private static final Linux LINUX = Linux.load();
    private static final Arch ARCH = LINUX.arch();

    @TempDir
    Path temp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final NativeSandbox sandbox = NativeSandbox.create(LINUX, ProcessRunner.create());

    @Test
    void complainLetsTheRefusedCallThroughAndReportsItWithItsArguments() {
        NativeRun run = sandbox.complain(spec(allExcept("unshare"), List.of("unshare", "--user", "true")),
                output::add, output::add);
        assertEquals(RunOutcome.EXITED, run.outcome(), run.detail() + output);
        assertEquals(0, run.exitCode(), "the call went through: " + output);
        Violation unshare = only(run.violations().violations(), "unshare");
        assertEquals("errno", unshare.action());
        assertEquals(Path.of("/usr/bin/unshare"), Path.of(unshare.executable()));
        long newUser = dev.sandboxed.syscall.Constants.of(ARCH).value("CLONE_NEWUSER").orElseThrow();
        assertEquals(Map.of(0, new TreeSet<>(Set.of(newUser))), unshare.argumentValues());
    }

    @Test
    void enforceRefusesWithThePolicysActionAndTheKernelLogNamesTheCall() {
        NativeRun run = sandbox.enforce(spec(allExcept("uname"), List.of("uname", "-s")), output::add, output::add);
        assertEquals(RunOutcome.EXITED, run.outcome(), run.detail());
        assertEquals(1, run.exitCode(), "uname cannot get the system name: " + output);
        assertTrue(output.stream().anyMatch(line -> line.contains("Operation not permitted")), output.toString());
        if (run.notes().stream().anyMatch(note -> note.contains("kernel log"))
                || run.violations().warnings().stream().anyMatch(w -> w.contains("kernel log"))) {
            System.out.println("Kernel log not collected here: " + run.notes() + run.violations().warnings());
            return;
        }
        Violation uname = only(run.violations().violations(), "uname");
        assertEquals("errno", uname.action());
    }

    @Test
    void landlockRefusesWritesOutsideTheRulesAndComplainModeNamesThePath() throws IOException {
        Assumptions.assumeTrue(LINUX.libc().landlockAbiVersion() > 0, "kernel without Landlock");
        // Not under /tmp, which every run may write.
        Path base = OutsideTmp.directory("native-sandbox-test").resolve(Long.toString(System.nanoTime()));
        Path allowed = Files.createDirectories(base.resolve("allowed"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        FilesystemRules rules = FilesystemRules.runtimeNeeds(List.of())
                .withRead(List.of(Path.of("/lib"), Path.of("/usr/lib"), Path.of("/etc")))
                .withReadWrite(List.of(allowed))
                .withExecute(List.of(Path.of("/bin/sh")));
        List<String> command = List.of("/bin/sh", "-c", "echo in > " + allowed.resolve("a") + "; echo out > "
                + outside.resolve("b"));
        NativeSpec spec = spec(allExcept(), command, Optional.of(rules));
        NativeRun enforced = sandbox.enforce(spec, output::add, output::add);
        assertEquals(2, enforced.exitCode(), output.toString());
        assertTrue(Files.exists(allowed.resolve("a")));
        assertFalse(Files.exists(outside.resolve("b")));

        NativeRun complained = sandbox.complain(spec, output::add, output::add);
        assertEquals(2, complained.exitCode(), "Landlock still refuses in complain mode: " + output);
        String shell = " " + outside.resolve("b") + " by " + Path.of("/bin/sh").toRealPath();
        assertEquals(List.of("create" + shell, "write" + shell),
                complained.violations().filesystem().stream()
                        .map(f -> f.access() + " " + f.path() + " by " + f.executable()).toList());
        assertEquals(List.of(), complained.violations().violations());
    }

    @Test
    void aCommandOutsideTheExecuteRulesIsAFileViolationInBothModes() {
        Assumptions.assumeTrue(LINUX.libc().landlockAbiVersion() > 0, "kernel without Landlock");
        FilesystemRules rules = FilesystemRules.runtimeNeeds(List.of()).withExecute(List.of(Path.of("/bin/sh")));
        NativeSpec spec = spec(allExcept(), List.of("uname"), Optional.of(rules));
        for (NativeRun run : List.of(sandbox.enforce(spec, output::add, output::add),
                sandbox.complain(spec, output::add, output::add))) {
            assertEquals(RunOutcome.EXITED, run.outcome(), run.detail());
            assertEquals(126, run.exitCode());
            assertEquals(List.of("execute /usr/bin/uname"), run.violations().filesystem().stream()
                    .map(f -> f.access() + " " + f.path()).toList(), run.detail());
        }
    }

    @Test
    void aRunPastItsTimeoutIsKilledWithEverythingItStarted() {
        NativeSpec spec = new NativeSpec(List.of("sh", "-c", "sleep 600 & sleep 600"), temp, System.getenv(),
                Duration.ofSeconds(2), allExcept(), Map.of(), Optional.empty(), 64, temp, Optional.empty());
        NativeRun enforced = sandbox.enforce(spec, output::add, output::add);
        assertEquals(RunOutcome.TIMED_OUT, enforced.outcome(), enforced.detail());
        NativeRun complained = sandbox.complain(spec, output::add, output::add);
        assertEquals(RunOutcome.TIMED_OUT, complained.outcome(), complained.detail());
    }

    @Test
    void aCommandThatCannotStartIsTheSandboxsFailureNotTheApplications() throws IOException {
        Path notExecutable = Files.writeString(temp.resolve("tool"), "#!/bin/sh\n");
        NativeRun run = sandbox.enforce(spec(allExcept(), List.of(notExecutable.toString())), output::add, output::add);
        assertEquals(RunOutcome.INFRASTRUCTURE_FAILURE, run.outcome(), run.detail());
        assertTrue(run.detail().startsWith("the sandbox could not be set up: permission denied: "), run.detail());
    }

    private NativeSpec spec(Policy policy, List<String> command) {
        return spec(policy, command, Optional.empty());
    }

    private NativeSpec spec(Policy policy, List<String> command, Optional<FilesystemRules> rules) {
        return new NativeSpec(command, temp, System.getenv(), Duration.ofMinutes(1), policy, Map.of(), rules, 64,
                temp, Optional.empty());
    }

    /** Every call of this architecture allowed except {@code refused}, which gets the default errno(EPERM). */
    private static Policy allExcept(String... refused) {
        SortedSet<String> names = new TreeSet<>(SyscallTable.of(ARCH).names());
        names.removeAll(Set.of(refused));
        List<Rule> rules = names.stream().map(name -> Rule.allow(name, "test")).toList();
        return Policy.of(Action.errno(1), Map.of(ARCH, rules));
    }

    private static Violation only(List<Violation> violations, String syscall) {
        List<Violation> matching = violations.stream().filter(v -> v.syscall().equals(syscall)).toList();
        assertEquals(1, matching.size(), violations.toString());
        return matching.get(0);
    }

}
