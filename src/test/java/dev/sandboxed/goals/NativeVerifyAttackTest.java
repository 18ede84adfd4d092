package dev.sandboxed.goals;

import dev.sandboxed.linux.Linux;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attack of the attack program, verified natively against the policy recorded from its benign run: each must
 * fail verify, naming the refused system call, or the filesystem or pids limit that stopped it. Enforce mode is the
 * default; a run it stops is diagnosed in complain mode, which is where most names come from.
 */
class NativeVerifyAttackTest {

    static Stream<Arguments> attacks() {
        Path escape = AttackFixture.OUTSIDE.resolve("escape.txt");
        return Stream.of(
                Arguments.of("network", List.of(), List.of(": poll \u00d7", "arg")),
                Arguments.of("shell", List.of(), List.of("filesystem", "execute /bin/sh", "(landlock)")),
                Arguments.of("ptrace", List.of(), List.of(": ptrace \u00d7")),
                Arguments.of("mount", List.of(), List.of(": mount \u00d7", ": unshare \u00d7", "CLONE_NEWUSER",
                        ": setns \u00d7")),
                Arguments.of("module", List.of(), List.of(": init_module \u00d7", ": finit_module \u00d7")),
                Arguments.of("keyctl", List.of(), List.of(": keyctl \u00d7")),
                Arguments.of("bpf", List.of(), List.of(": bpf \u00d7")),
                Arguments.of("userfaultfd", List.of(), List.of(": userfaultfd \u00d7")),
                Arguments.of("perf", List.of(), List.of(": perf_event_open \u00d7")),
                Arguments.of("escape", List.of(escape.toString()), List.of("create " + escape, "(landlock)",
                        "\"readWrite\"")),
                Arguments.of("forkbomb", List.of(), List.of("limit pids:")),
                Arguments.of("x32", List.of(), List.of(": x32:socket \u00d7", "always killed")),
                Arguments.of("i386", List.of(), List.of("i386 ", ": i386:359 \u00d7", "always killed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void failsVerifyNamingWhatStoppedIt(String attack, List<String> extra, List<String> named) throws Exception {
        requireCapabilities(attack);
        AttackFixture fixture = AttackFixture.get();
        Files.deleteIfExists(fixture.outside.resolve("escape.txt"));
        String[] arguments = Stream.concat(Stream.of(attack), extra.stream()).toArray(String[]::new);
        RecordingConsole console = new RecordingConsole();
        VerifyGoal.Result result = AttackFixture.goal(console).run(fixture.request(fixture.target(arguments),
                VerifyRuntime.NATIVE, VerifyMode.ENFORCE, "native-" + attack));
        System.out.println(result.message());
        assertEquals(VerifyOutcome.VIOLATIONS, result.outcome(), result.message());
        assertTrue(result.failsBuild());
        for (String expected : named) {
            assertTrue(result.message().contains(expected), "expected '" + expected + "' in:\n" + result.message());
        }
        assertTrue(Files.notExists(fixture.outside.resolve("escape.txt")), "nothing was written outside");
        String json = Files.readString(result.written().stream()
                .filter(p -> p.getFileName().toString().equals(VerifyGoal.VIOLATIONS_JSON)).findFirst().orElseThrow());
        assertTrue(json.contains("\"fix\"") || json.contains("\"pids: "),
                "violations.json holds the explained list, or the limit that stopped the run:\n" + json);
    }

    /** Skips, saying why, when the kernel lacks what stops this attack natively. */
    static void requireCapabilities(String attack) {
        Linux linux = Linux.load();
        if ((attack.equals("shell") || attack.equals("escape")) && linux.libc().landlockAbiVersion() < 1) {
            skip("this kernel has no Landlock, which stops the " + attack + " attack natively");
        }
        if (attack.equals("forkbomb") && !pidsCgroupWritable()) {
            skip("no writable pids cgroup hierarchy (needs root or a delegated cgroup), which stops a fork bomb"
                    + " natively");
        }
    }

    private static boolean pidsCgroupWritable() {
        return Files.isWritable(Path.of("/sys/fs/cgroup/pids")) || Files.isWritable(Path.of("/sys/fs/cgroup/cgroup.subtree_control"));
    }

    private static void skip(String reason) {
        System.out.println("Skipping: " + reason);
        Assumptions.abort(reason);
    }
}
