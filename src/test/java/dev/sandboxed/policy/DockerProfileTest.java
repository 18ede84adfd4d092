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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerProfileTest {

    private static final Path FILE = Path.of("profile.json");
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long CLONE_NEWNS = 0x20000L;
    private static final long SIGCHLD = 17;
    private static final long CLONE_THREAD_FLAGS = 0x3d0f00L;

    private static Action decide(Policy policy, Arch arch, String syscall, long... args) {
        int nr = SyscallTable.of(arch).number(syscall).orElseThrow();
        return policy.decide(SeccompData.of(arch, nr, args));
    }

    private static LoadedPolicy dockerDefault(Set<String> capabilities) {
        return DockerProfile.read(SharedCorpus.file("docker-default.json"), capabilities);
    }

    @Test
    void dockerDefaultDecidesLikeDockerForAContainerWithoutCapabilities() {
        Policy policy = dockerDefault(DockerProfile.NO_CAPABILITIES).policy();
        Action eperm = Action.errno(1);
        assertEquals(eperm, policy.defaultAction());
        assertEquals(Set.of(Arch.X86_64, Arch.AARCH64), policy.architectures());
        for (Arch arch : Arch.values()) {
            assertEquals(Action.allow(), decide(policy, arch, "read"));
            assertEquals(Action.allow(), decide(policy, arch, "clone", SIGCHLD), "fork-style clone");
            assertEquals(Action.allow(), decide(policy, arch, "clone", CLONE_THREAD_FLAGS), "thread creation");
            assertEquals(eperm, decide(policy, arch, "clone", CLONE_NEWUSER | SIGCHLD), "user namespace");
            assertEquals(eperm, decide(policy, arch, "clone", CLONE_NEWNS), "mount namespace");
            assertEquals(Action.errno(Policy.ENOSYS), decide(policy, arch, "clone3"), "clone3 falls back to clone");
            assertEquals(Action.allow(), decide(policy, arch, "ptrace"), "allowed from kernel 4.8 on");
            assertEquals(Action.allow(), decide(policy, arch, "personality", 0));
            assertEquals(Action.allow(), decide(policy, arch, "personality", 0xffffffffL), "the query value");
            assertEquals(eperm, decide(policy, arch, "personality", 0x12345));
            assertEquals(eperm, decide(policy, arch, "reboot"), "needs CAP_SYS_BOOT");
            assertEquals(eperm, decide(policy, arch, "mount"), "needs CAP_SYS_ADMIN");
            assertEquals(eperm, decide(policy, arch, "unshare"), "needs CAP_SYS_ADMIN");
            assertEquals(Action.allow(), decide(policy, arch, "socket", 1), "AF_UNIX");
            assertEquals(Action.allow(), decide(policy, arch, "socket", 2), "AF_INET");
            assertEquals(eperm, decide(policy, arch, "socket", 38), "AF_ALG is left out");
            assertEquals(Action.allow(), decide(policy, arch, "socket", 39));
            assertEquals(eperm, decide(policy, arch, "socket", 40), "AF_VSOCK is left out");
            assertEquals(Action.allow(), decide(policy, arch, "socket", 41));
            assertEquals(eperm, decide(policy, arch, "personality", 0x100000000L), "Docker compares all 64 bits");
        }
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "arch_prctl"), "amd64-only entry");
        assertFalse(SyscallTable.of(Arch.AARCH64).contains("arch_prctl"));
        assertEquals(Action.killProcess(), policy.decide(new SeccompData(0, 0x40000003, 0, new long[6])),
                "i386 calls are killed although the profile lists SCMP_ARCH_X86");
    }

    @Test
    void dockerDefaultImportWarnsAboutSubArchitecturesAndSkippedNames() {
        List<String> warnings = dockerDefault(DockerProfile.NO_CAPABILITIES).warnings();
        assertEquals(2, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("docker-default.json:4:"), warnings.get(0));
        assertTrue(warnings.get(0).contains("SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_ARM are killed"), warnings.get(0));
        assertTrue(warnings.get(1).contains("chown32"), warnings.get(1));
    }

    @Test
    void capabilitiesSelectIncludesAndExcludes() {
        Policy admin = dockerDefault(Set.of("CAP_SYS_ADMIN")).policy();
        for (Arch arch : Arch.values()) {
            assertEquals(Action.allow(), decide(admin, arch, "clone", CLONE_NEWUSER), "CAP_SYS_ADMIN allows namespaces");
            assertEquals(Action.allow(), decide(admin, arch, "clone3"), "the ENOSYS entry is excluded with CAP_SYS_ADMIN");
            assertEquals(Action.allow(), decide(admin, arch, "mount"));
            assertEquals(Action.errno(1), decide(admin, arch, "reboot"));
        }
        Policy boot = dockerDefault(Set.of("CAP_SYS_BOOT")).policy();
        assertEquals(Action.allow(), decide(boot, Arch.X86_64, "reboot"));
    }

    @Test
    void importExportImportKeepsThePolicyAndEveryDecision() {
        Policy imported = dockerDefault(DockerProfile.NO_CAPABILITIES).policy();
        String exported = DockerProfile.write(imported);
        LoadedPolicy again = DockerProfile.parse(FILE, exported, DockerProfile.NO_CAPABILITIES);
        assertEquals(imported, again.policy());
        assertEquals(List.of(), again.warnings(), "an exported profile holds nothing the import has to explain");
        assertEquals(exported, DockerProfile.write(again.policy()), "export is deterministic");
        int checked = Decisions.assertSame(imported, again.policy());
        assertTrue(checked > 100_000, "checked " + checked);
    }

    @Test
    void exportListsOnlyMainArchitecturesAndGroupsEqualRules() {
        String exported = DockerProfile.write(dockerDefault(DockerProfile.NO_CAPABILITIES).policy());
        assertTrue(exported.startsWith("{\n  \"architectures\": [\n    \"SCMP_ARCH_AARCH64\",\n    \"SCMP_ARCH_X86_64\"\n  ],\n"
                + "  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": 1,\n"), exported);
        assertFalse(exported.contains("archMap"));
        assertFalse(exported.contains("SCMP_ARCH_X86\""));
        assertEquals(1, exported.split("\"SCMP_CMP_MASKED_EQ\"", -1).length - 1, "one clone entry for both arches");
        assertTrue(exported.contains("{\"index\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 2114060288, \"valueTwo\": 0}"));
        assertFalse(exported.contains("\"includes\""), "rules differ only where a name exists on one machine");
    }

    @Test
    void rulesOnOneArchitectureOfTwoThatKnowTheNameAreLimitedWithIncludes() {
        Policy policy = Policy.of(Action.errno(1), Map.of(
                Arch.X86_64, List.of(Rule.allow("read", ""), Rule.allow("getpid", "")),
                Arch.AARCH64, List.of(Rule.allow("read", ""))));
        String exported = DockerProfile.write(policy);
        assertTrue(exported.contains("\"includes\": {\n        \"arches\": [\n          \"amd64\"\n"), exported);
        assertEquals(policy, DockerProfile.parse(FILE, exported, Set.of()).policy());
    }

    @Test
    void conditionsAreAndedAndRepeatedArgumentsAreAlternativesAsInRunc() {
        String profile = """
                {"defaultAction": "SCMP_ACT_KILL_PROCESS", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
                  {"names": ["mmap"], "action": "SCMP_ACT_ALLOW",
                   "args": [{"index": 2, "value": 4, "op": "SCMP_CMP_MASKED_EQ"}, {"index": 3, "value": 2, "op": "SCMP_CMP_NE"}]},
                  {"names": ["kill"], "action": "SCMP_ACT_ALLOW",
                   "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]}
                ]}
                """;
        LoadedPolicy loaded = DockerProfile.parse(FILE, profile, Set.of());
        Policy policy = loaded.policy();
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "mmap", 0, 4096, 3, 1));
        assertEquals(Action.killProcess(), decide(policy, Arch.X86_64, "mmap", 0, 4096, 7, 1), "PROT_EXEC set");
        assertEquals(Action.killProcess(), decide(policy, Arch.X86_64, "mmap", 0, 4096, 3, 2), "second condition fails");
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "kill", 1, 9));
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "kill", 1, 15));
        assertEquals(Action.killProcess(), decide(policy, Arch.X86_64, "kill", 1, 2));
        assertTrue(loaded.warnings().get(0).startsWith("profile.json:4:"), loaded.warnings().toString());
        assertEquals(Action.killThread(), DockerProfile.parse(FILE,
                "{\"defaultAction\": \"SCMP_ACT_KILL\"}", Set.of()).policy().defaultAction());
    }

    @Test
    void entriesWithTheDefaultActionAreSkippedAsRuncDoes() {
        String profile = """
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"names": ["socket"], "action": "SCMP_ACT_ERRNO"},
                  {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}
                ]}
                """;
        Policy policy = DockerProfile.parse(FILE, profile, Set.of()).policy();
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "socket", 1));
        assertEquals(Set.of(Arch.X86_64, Arch.AARCH64), policy.architectures(), "no architecture named: all of them");
    }

    @Test
    void aLowWordMaskIsA32BitEqualityAndExportsBackExactly() {
        Policy policy = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.of("socket", Action.allow(), "unix sockets", Condition.of(0, Operator.EQ, 1, Width.BITS32)))));
        String exported = DockerProfile.write(policy);
        assertTrue(exported.contains("{\"index\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 4294967295, \"valueTwo\": 1}"), exported);
        assertTrue(exported.contains("\"comment\": \"unix sockets\""), exported);
        Policy back = DockerProfile.parse(FILE, exported, Set.of()).policy();
        assertEquals(policy, back);
        assertEquals(Action.allow(), decide(back, Arch.X86_64, "socket", 0xdead00000001L));
    }

    @Test
    void unsignedValuesAboveTheSignedRangeSurviveTheRoundTrip() {
        Policy policy = Policy.of(Action.allow(), Map.of(Arch.AARCH64, List.of(
                Rule.of("lseek", Action.errno(22), "", Condition.of(1, Operator.GE, 0x8000000000000000L, Width.BITS64)))));
        String exported = DockerProfile.write(policy);
        assertTrue(exported.contains("\"value\": 9223372036854775808"), exported);
        assertEquals(policy, DockerProfile.parse(FILE, exported, Set.of()).policy());
    }

    @Test
    void exportRefusesWhatLibseccompWouldDecideDifferently() {
        Policy lessThan32 = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.of("socket", Action.allow(), "", Condition.of(0, Operator.LT, 10, Width.BITS32)))));
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> DockerProfile.write(lessThan32));
        assertTrue(e.getMessage().contains("32-bit \"<\""), e.getMessage());

        Policy range = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(Rule.of("socket", Action.allow(), "",
                Condition.of(0, Operator.GE, 2, Width.BITS64), Condition.of(0, Operator.LE, 10, Width.BITS64)))));
        e = assertThrows(InvalidPolicyException.class, () -> DockerProfile.write(range));
        assertTrue(e.getMessage().contains("two conditions on argument 0"), e.getMessage());

        Policy overlapping = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(Rule.allow("socket", ""),
                Rule.of("socket", Action.killProcess(), "", Condition.of(0, Operator.GT, 40, Width.BITS64)))));
        e = assertThrows(InvalidPolicyException.class, () -> DockerProfile.write(overlapping));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());

        Policy disjoint = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.of("socket", Action.allow(), "", Condition.of(0, Operator.EQ, 1, Width.BITS64)),
                Rule.of("socket", Action.killProcess(), "", Condition.of(0, Operator.EQ, 40, Width.BITS64)))));
        assertEquals(disjoint, DockerProfile.parse(FILE, DockerProfile.write(disjoint), Set.of()).policy());

        Policy narrowedDeny = Policy.of(Action.allow(), Map.of(Arch.X86_64, List.of(Rule.allow("socket", ""),
                Rule.of("socket", Action.errno(1), "", Condition.of(0, Operator.EQ, 40, Width.BITS64)))));
        Policy exported = DockerProfile.parse(FILE, DockerProfile.write(narrowedDeny), Set.of()).policy();
        Decisions.assertSame(narrowedDeny, exported);
    }

    @Test
    void badProfilesAreRefusedWithTheirLine() {
        assertMessage("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5000}]}",
                "profile.json:2:", "errno 5000 is out of range");
        assertMessage("{\"defaultAction\": \"SCMP_ACT_DENY\"}", "profile.json:1:", "unknown action \"SCMP_ACT_DENY\"");
        assertMessage("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n{\"names\": [\"read\"], \"name\": \"write\", \"action\": \"SCMP_ACT_ALLOW\"}]}",
                "profile.json:2:", "both \"name\" and \"names\"");
        assertMessage("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
                + "\"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "profile.json:2:", "argument index 6 does not exist");
        assertMessage("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
                + "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL\"}]}", "profile.json:3:", "contradicting entries");
        assertMessage("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_MIPS\"]}",
                "profile.json:1:", "none of the profile's architectures is supported");
        assertMessage("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [}", "profile.json:2:", "malformed JSON");
    }

    @Test
    void legacyNameAndUnknownKeysAreAcceptedWithAWarning() {
        LoadedPolicy loaded = DockerProfile.parse(FILE, """
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"name": "getpid", "action": "SCMP_ACT_ALLOW", "sometimes": true},
                  {"names": ["gettid"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1}
                ]}
                """, Set.of());
        assertEquals(Action.allow(), decide(loaded.policy(), Arch.AARCH64, "getpid"));
        assertEquals(Action.allow(), decide(loaded.policy(), Arch.AARCH64, "gettid"));
        assertEquals(2, loaded.warnings().size());
        assertTrue(loaded.warnings().get(0).startsWith("profile.json:2:"), loaded.warnings().get(0));
        assertTrue(loaded.warnings().get(1).startsWith("profile.json:3:") && loaded.warnings().get(1).contains(
                "\"errnoRet\" is ignored for SCMP_ACT_ALLOW"), loaded.warnings().get(1));
    }

    @Test
    void runtimeOptionsSurviveTheRoundTrip() {
        String profile = """
                {"defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                 "listenerPath": "/run/agent.sock", "listenerMetadata": "app",
                 "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"}]}
                """;
        Policy policy = DockerProfile.parse(FILE, profile, Set.of()).policy();
        assertEquals(new RuntimeOptions(new java.util.TreeSet<>(Set.of("SECCOMP_FILTER_FLAG_LOG")), "/run/agent.sock", "app"),
                policy.runtimeOptions());
        assertEquals(Action.userNotif(), decide(policy, Arch.X86_64, "getpid"));
        assertEquals(policy, DockerProfile.parse(FILE, DockerProfile.write(policy), Set.of()).policy());
    }

    private static void assertMessage(String profile, String location, String text) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> DockerProfile.parse(FILE, profile, Set.of()));
        assertNotNull(e.location());
        assertTrue(e.getMessage().startsWith(location), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
