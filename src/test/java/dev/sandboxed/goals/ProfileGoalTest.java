package dev.sandboxed.goals;

import dev.sandboxed.bpf.Program;
import dev.sandboxed.bpf.Simulator;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileGoalTest {

    private static final List<String> OUTPUTS = List.of("seccomp.json", "seccompprofile.yaml", "policy.json",
            "report.html", "seccomp-x86_64.bpf", "seccomp-aarch64.bpf", "seccomp-x86_64.txt", "seccomp-aarch64.txt");

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private final Console console = new Console() {
        @Override
        public void info(String line) {
            log.add(line);
        }

        @Override
        public void warn(String line) {
            log.add("WARNING " + line);
        }
    };

    @Test
    void compilesDockersDefaultIntoEveryFormatDeterministically() throws IOException {
        Path docker = dockerDefault();
        ProfileGoal goal = new ProfileGoal(console);
        goal.run(request(docker, dir.resolve("a"), false));
        goal.run(request(docker, dir.resolve("b"), false));
        for (String name : OUTPUTS) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(name)),
                    Files.readAllBytes(dir.resolve("b").resolve(name)), name + " differs between two runs");
        }
        Program x86 = Program.fromBytes(Files.readAllBytes(dir.resolve("a/seccomp-x86_64.bpf")));
        int reboot = SyscallTable.of(Arch.X86_64).number("reboot").orElseThrow();
        int read = SyscallTable.of(Arch.X86_64).number("read").orElseThrow();
        assertEquals(Action.errno(1), decide(x86, reboot));
        assertEquals(Action.allow(), decide(x86, read));
        assertTrue(log.stream().anyMatch(line -> line.startsWith("x86_64") && line.contains(" ")), String.join("\n", log));
    }

    @Test
    void aBadPolicyWritesNothing() throws IOException {
        Path policy = policyAllowing("{\"syscall\": \"wirte\", \"action\": \"allow\", \"reason\": \"typo\"}");
        Path out = dir.resolve("out");
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> new ProfileGoal(console).run(request(policy, out, false)));
        assertTrue(e.getMessage().contains("policy.json:6"), e.getMessage());
        assertTrue(e.getMessage().contains("write"), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written for a bad policy");
    }

    @Test
    void updateWritesTheMergedPolicyBackAndPrintsTheDiff() throws IOException {
        Path policy = policyAllowing("{\"syscall\": \"read\", \"action\": \"allow\", \"reason\": \"reads its input\"}");
        Path recording = dir.resolve("recording.json");
        Files.writeString(recording, """
                {
                  "schemaVersion": 1,
                  "runs": [{"backend": "ptrace", "command": "app", "exitStatus": 0, "interrupted": false, "signal": "", "wallMillis": 5}],
                  "components": {"x86_64": {"/usr/bin/app": {"addresses": [], "paths": [], "syscalls": [
                    {"calls": 3, "name": "read", "runs": 1},
                    {"calls": 2, "name": "write", "runs": 1}
                  ]}}}
                }
                """);
        ProfileGoal.Request request = new ProfileGoal.Request(policy, true, List.of(recording), dir.resolve("out"), true,
                Set.of(), "app", Optional.empty());
        ProfileGoal.Result result = new ProfileGoal(console).run(request);
        assertEquals(List.of("clone3", "restart_syscall", "write"), result.diff().added().stream().map(placed -> placed.rule().syscall()).toList(),
                result.diff().render());
        assertTrue(result.diff().removed().isEmpty() && result.diff().changed().isEmpty(), result.diff().render());
        assertTrue(Files.readString(policy).contains("\"write\""), "the committed policy now allows write");
        assertTrue(log.stream().anyMatch(line -> line.contains("write")), String.join("\n", log));
    }

    @Test
    void aRecordedCallTheCommittedPolicyNamesIsWarnedAboutOnceWithItsLine() throws IOException {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {
                  "schemaVersion": 1,
                  "defaultAction": "errno(EPERM)",
                  "architectures": ["x86_64", "aarch64"],
                  "baseArchitecture": "x86_64",
                  "rules": [
                    {"syscall": "dup2", "action": "allow", "reason": "redirects"}
                  ]
                }
                """);
        Path recording = dir.resolve("recording.json");
        Files.writeString(recording, """
                {
                  "schemaVersion": 1,
                  "runs": [{"backend": "ptrace", "command": "app", "exitStatus": 0, "interrupted": false, "signal": "", "wallMillis": 5}],
                  "components": {"x86_64": {"/usr/bin/app": {"addresses": [], "paths": [], "syscalls": [
                    {"calls": 1, "name": "dup2", "runs": 1}
                  ]}}}
                }
                """);
        new ProfileGoal(console).run(new ProfileGoal.Request(policy, true, List.of(recording), dir.resolve("out"), false,
                Set.of(), "app", Optional.empty()));
        List<String> dup2 = log.stream().filter(line -> line.startsWith("WARNING ") && line.contains("dup2 does not exist"))
                .toList();
        assertEquals(1, dup2.size(), String.join("\n", log));
        assertTrue(dup2.get(0).contains("policy.json:7:"), dup2.get(0));
    }

    /** A one-rule x86_64 policy file; the rule sits on line 6. */
    private Path policyAllowing(String rule) throws IOException {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {
                  "schemaVersion": 1,
                  "defaultAction": "errno(EPERM)",
                  "architectures": ["x86_64"],
                  "rules": [
                    %s
                  ]
                }
                """.formatted(rule));
        return policy;
    }

    private static Action decide(Program program, int nr) {
        return Action.fromSeccompReturn(Simulator.run(program, SeccompData.of(Arch.X86_64, nr)).returnValue());
    }

    private static ProfileGoal.Request request(Path policy, Path out, boolean update) {
        return new ProfileGoal.Request(policy, true, List.of(), out, update, Set.of(), "test", Optional.empty());
    }

    private static Path dockerDefault() {
        String shared = System.getProperty("shared.dir");
        Path file = shared == null ? null : Path.of(shared, "corpus", "docker-default.json");
        if (file == null || !Files.isRegularFile(file)) {
            System.out.println("skipped: Docker's default profile is not at " + file + " (../shared is absent)");
            Assumptions.abort("Docker's default profile is absent");
        }
        return file;
    }
}
