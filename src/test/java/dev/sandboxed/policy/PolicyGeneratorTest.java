package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyGeneratorTest {

    private static final Action EPERM = Action.errno(1);

    private static Action decide(Policy policy, Arch arch, String syscall, long... args) {
        int nr = SyscallTable.of(arch).number(syscall).orElseThrow();
        return policy.decide(SeccompData.of(arch, nr, args));
    }

    private static LoadedPolicy generate() {
        return PolicyGenerator.generate(Recordings.javaApp(), PolicyGenerator.Options.defaults());
    }

    @Test
    void allowsWhatWasRecordedAndNothingElse() {
        Policy policy = generate().policy();
        Arch x86 = Arch.X86_64;
        assertEquals(EPERM, policy.defaultAction());
        assertEquals(Action.allow(), decide(policy, x86, "read"));
        assertEquals(Action.allow(), decide(policy, x86, "open"));
        assertEquals(EPERM, decide(policy, x86, "write"), "never recorded");
        assertEquals(EPERM, decide(policy, x86, "ptrace"));
    }

    @Test
    void theKernelsOwnRestartOfAnInterruptedCallIsAllowedThoughNoRunRecordedIt() {
        Policy policy = generate().policy();
        for (Arch arch : Arch.values()) {
            assertEquals(Action.allow(), decide(policy, arch, "restart_syscall"), arch.id());
        }
    }

    @Test
    void riskyCallsAreLimitedToTheValuesSeen() {
        Policy policy = generate().policy();
        Arch x86 = Arch.X86_64;
        assertEquals(Action.allow(), decide(policy, x86, "socket", 1, 1), "AF_UNIX");
        assertEquals(Action.allow(), decide(policy, x86, "socket", 10, 1), "AF_INET6");
        assertEquals(Action.allow(), decide(policy, x86, "socket", 0xffffffff0000000aL), "the family is an int");
        assertEquals(EPERM, decide(policy, x86, "socket", 2, 1), "AF_INET was never seen");
        assertEquals(EPERM, decide(policy, x86, "socket", 16, 3), "AF_NETLINK was never seen");

        assertEquals(Action.allow(), decide(policy, x86, "ioctl", 1, 0x5401), "TCGETS");
        assertEquals(EPERM, decide(policy, x86, "ioctl", 1, 0x5412), "TIOCSTI");

        assertEquals(Action.allow(), decide(policy, x86, "clone", 0x3d0f00), "thread creation as recorded");
        assertEquals(Action.allow(), decide(policy, x86, "clone", 0x1200011), "fork as the shell did it");
        assertEquals(EPERM, decide(policy, x86, "clone", 0x10000000 | 17), "CLONE_NEWUSER never seen");
        assertEquals(EPERM, decide(policy, x86, "clone", 0x40000000 | 17), "CLONE_NEWNET never seen");
        assertEquals(Action.errno(Policy.ENOSYS), decide(policy, x86, "clone3"), "libc must fall back to clone");

        assertEquals(Action.allow(), decide(policy, x86, "mmap", 0, 4096, 5), "PROT_EXEC was seen for mmap");
        assertEquals(Action.allow(), decide(policy, x86, "mprotect", 0, 4096, 3));
        assertEquals(EPERM, decide(policy, x86, "mprotect", 0, 4096, 7), "PROT_EXEC never seen for mprotect");

        assertEquals(Action.allow(), decide(policy, x86, "kill", 1, 9), "signals are not narrowed");
        assertEquals(Action.allow(), decide(policy, x86, "prctl", 38), "no values recorded: not narrowed");
    }

    @Test
    void reasonsRecordTheEvidence() {
        Policy policy = generate().policy();
        assertEquals("recorded: 1244 calls in 2/2 runs by /bin/sh, /usr/bin/java",
                policy.rules(Arch.X86_64, "read").get(0).reason());
        assertEquals("recorded: 3 calls in 1/2 runs by /usr/bin/java", policy.rules(Arch.X86_64, "ioctl").get(0).reason());
        assertEquals("recorded: 2 calls in 2/2 runs by /usr/bin/java; argument 0 not recorded",
                policy.rules(Arch.X86_64, "prctl").get(0).reason());
        assertTrue(policy.rules(Arch.X86_64, "clone3").get(0).reason().startsWith("not recorded"));
    }

    @Test
    void theCommittedFormIsSymbolicAndNeedsNoOverrides() {
        LoadedPolicy generated = generate();
        String text = PolicyFormat.write(generated.policy());
        assertTrue(text.contains("\"baseArchitecture\": \"x86_64\""), text);
        assertTrue(text.contains("{\"syscall\": \"socket\", \"if\": [\"arg0 == AF_UNIX\"], \"action\": \"allow\", "
                + "\"reason\": \"recorded: 4 calls in 2/2 runs by /usr/bin/java\"}"), text);
        assertTrue(text.contains("{\"syscall\": \"clone\", \"if\": [\"arg0 & CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|"
                + "CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET == 0\"]"), text);
        assertTrue(text.contains("{\"syscall\": \"mprotect\", \"if\": [\"arg2 & PROT_EXEC == 0\"]"), text);
        assertTrue(text.contains("{\"syscall\": \"ioctl\", \"if\": [\"arg1 == TCGETS\"]"), text);
        assertFalse(text.contains("overrides"), "aarch64 is derived exactly as the file derives it: " + text);
        assertEquals(generated.policy(), PolicyFormat.parse(Path.of("policy.json"), text).policy());
    }

    @Test
    void unrecordedArchitecturesGetTranslatedRulesWithWarnings() {
        LoadedPolicy generated = generate();
        Policy policy = generated.policy();
        assertEquals(Set.of(Arch.X86_64, Arch.AARCH64), policy.architectures());
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "openat", -100, 0, 0), "open becomes openat");
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "socket", 1));
        assertEquals(EPERM, decide(policy, Arch.AARCH64, "socket", 2));
        assertEquals(EPERM, decide(policy, Arch.AARCH64, "clone", 0x10000000));
        List<String> warnings = generated.warnings();
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("open does not exist on aarch64; there its rules apply "
                + "to its equivalent openat, a SUPERSET")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("run 2 (java -jar app.jar --fast) was interrupted")),
                warnings.toString());
    }

    @Test
    void argumentsWithoutRecordedValuesAreNotGuessed() {
        Component bare = Recordings.component("/bin/app", Map.of(
                "socket", Recordings.use(1, 1, Map.of()),
                "clone", Recordings.use(1, 1, Map.of()),
                "clone3", Recordings.use(2, 1, Map.of())));
        Recording recording = Recording.of(new Run("app", 0, "", 5, false, "ptrace"), Arch.AARCH64, bare);
        LoadedPolicy generated = PolicyGenerator.generate(recording,
                new PolicyGenerator.Options(Action.killProcess(), Set.of(Arch.AARCH64)));
        Policy policy = generated.policy();
        assertEquals(Set.of(Arch.AARCH64), policy.architectures());
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "socket", 2));
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "clone", 0x10000000));
        assertEquals(Action.errno(Policy.ENOSYS), decide(policy, Arch.AARCH64, "clone3"),
                "recorded clone3 is answered ENOSYS, so libc falls back to clone, whose flags the filter checks");
        assertEquals(Action.killProcess(), decide(policy, Arch.AARCH64, "getpid"));
        assertEquals(List.of(), generated.warnings());
    }

    @Test
    void clone3sRecordedFlagsBecomeClonesEvidence() {
        long threadFlags = 0x3d0f00L;
        Component app = Recordings.component("/usr/bin/java", Map.of(
                "clone3", Recordings.use(5, 1, Map.of(0, Set.of(threadFlags)))));
        Recording recording = Recording.of(new Run("java", 0, "", 5, false, "ptrace"), Arch.X86_64, app);
        Policy policy = PolicyGenerator.generate(recording,
                new PolicyGenerator.Options(Action.errno(1), Set.of(Arch.X86_64))).policy();
        assertEquals(Action.errno(Policy.ENOSYS), decide(policy, Arch.X86_64, "clone3"));
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "clone", threadFlags), "the fallback is allowed");
        assertEquals(EPERM, decide(policy, Arch.X86_64, "clone", threadFlags | 0x10000000L), "but not a new user namespace");
    }

    @Test
    void namespacesSeenStayAllowedAndOnlyThose() {
        long newPid = 0x20000000L;
        Component component = Recordings.component("/bin/sandboxer", Map.of(
                "clone", Recordings.use(2, 1, Map.of(0, Set.of(newPid | 17)))));
        Recording recording = Recording.of(new Run("x", 0, "", 5, false, "ptrace"), Arch.X86_64, component);
        Policy policy = PolicyGenerator.generate(recording, PolicyGenerator.Options.defaults()).policy();
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "clone", newPid | 17));
        assertEquals(EPERM, decide(policy, Arch.X86_64, "clone", 0x10000000 | 17));
    }

    @Test
    void anApplicationThatOnlyStartedThreadsCannotStartAProcess() {
        long threadFlags = 0x3d0f00L;
        Component app = Recordings.component("/usr/bin/java", Map.of(
                "clone3", Recordings.use(12, 1, Map.of(0, Set.of(threadFlags))),
                "execve", Recordings.use(1, 1, Map.of())));
        Recording recording = Recording.of(new Run("java", 0, "", 5, false, "seccomp"), Arch.X86_64, app);
        Policy policy = PolicyGenerator.generate(recording, PolicyGenerator.Options.defaults()).policy();
        for (Arch arch : policy.architectures()) {
            assertEquals(Action.allow(), decide(policy, arch, "clone", threadFlags), arch + ": a thread");
            assertEquals(EPERM, decide(policy, arch, "clone", 0x01000000L | 0x00200000L | 17), arch
                    + ": fork as glibc makes it (CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD)");
            assertEquals(EPERM, decide(policy, arch, "clone", 0x4000L | 0x100L | 17), arch
                    + ": posix_spawn's CLONE_VFORK|CLONE_VM, how Java starts /bin/sh");
            assertEquals(EPERM, decide(policy, arch, "clone", threadFlags | 0x10000000L), arch + ": a user namespace");
        }
        assertTrue(policy.rules(Arch.X86_64, "clone").get(0).reason().endsWith("only threads were started, never a"
                + " process"));
        String text = PolicyFormat.write(policy);
        assertTrue(text.contains("\"arg0 & CLONE_THREAD|CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|"
                + "CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET == CLONE_THREAD\""), text);
        assertEquals(policy, PolicyFormat.parse(Path.of("policy.json"), text).policy(), "the rule survives its file");
    }

    @Test
    void anyProcessStartKeepsProcessCreationAllowed() {
        long threadFlags = 0x3d0f00L;
        long vfork = 0x4000L | 0x100L | 17;
        Map<String, Map<String, SyscallUse>> starts = Map.of(
                "a clone without CLONE_THREAD", Map.of("clone", Recordings.use(3, 1, Map.of(0, Set.of(threadFlags, vfork)))),
                "vfork", Map.of("clone", Recordings.use(3, 1, Map.of(0, Set.of(threadFlags))),
                        "vfork", Recordings.use(1, 1, Map.of())),
                "a second execve", Map.of("clone", Recordings.use(3, 1, Map.of(0, Set.of(threadFlags))),
                        "execve", Recordings.use(2, 1, Map.of())));
        starts.forEach((what, syscalls) -> {
            Recording recording = Recording.of(new Run("java", 0, "", 5, false, "seccomp"), Arch.X86_64,
                    Recordings.component("/usr/bin/java", syscalls));
            Policy policy = PolicyGenerator.generate(recording, PolicyGenerator.Options.defaults()).policy();
            assertEquals(Action.allow(), decide(policy, Arch.X86_64, "clone", vfork), what + " allows processes");
        });
    }

    @Test
    void anEmptyRecordingIsRefused() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> PolicyGenerator.generate(Recording.empty(), PolicyGenerator.Options.defaults()));
        assertTrue(e.getMessage().contains("sandbox:record"), e.getMessage());
    }
}
