package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFormatTest {

    private static final Path FILE = Path.of("src/main/sandbox/policy.json");

    /** A policy in canonical form: what the writer produces for the policy it describes. */
    static final String CANONICAL = """
            {
              "schemaVersion": 1,
              "defaultAction": "errno(EPERM)",
              "architectures": [
                "x86_64"
              ],
              "baseArchitecture": "x86_64",
              "rules": [
                {"syscall": "clone", "if": ["arg0 & CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET == 0"], "action": "allow", "reason": "threads, no namespaces"},
                {"syscall": "clone3", "action": "errno(ENOSYS)", "reason": "libc falls back to clone"},
                {"syscall": "ioctl", "if": ["arg1 == TCGETS"], "action": "allow", "reason": "isatty"},
                {"syscall": "kill", "action": "kill-process", "reason": "never signals"},
                {"syscall": "mmap", "if": ["arg2 & PROT_EXEC == 0"], "action": "allow", "reason": "no JIT"},
                {"syscall": "openat", "if": ["arg2 & O_CREAT|O_TRUNC == 0"], "action": "allow", "reason": "keeps files"},
                {"syscall": "personality", "if": ["arg0 == 0xffffffff"], "action": "allow", "reason": "query"},
                {"syscall": "read", "action": "allow", "reason": "recorded: 12 calls in 1/1 runs by /usr/bin/java"},
                {"syscall": "socket", "if": ["arg0.64 == AF_INET"], "action": "log", "reason": "audit IPv4"},
                {"syscall": "socket", "if": ["arg0 == AF_UNIX"], "action": "allow", "reason": "unix sockets"},
                {"syscall": "write", "if": ["arg0 > 2", "arg2 >= 0x10000"], "action": "trace(7)", "reason": "inspect large writes to files"},
                {"syscall": "write", "action": "allow", "reason": "output"}
              ],
              "runtime": {
                "flags": [
                  "SECCOMP_FILTER_FLAG_LOG"
                ]
              }
            }
            """;

    private static Action decide(Policy policy, Arch arch, String syscall, long... args) {
        int nr = SyscallTable.of(arch).number(syscall).orElseThrow();
        return policy.decide(SeccompData.of(arch, nr, args));
    }

    private static LoadedPolicy parse(String text) {
        return PolicyFormat.parse(FILE, text);
    }

    @Test
    void readsTheDocumentedSyntax() {
        LoadedPolicy loaded = parse(CANONICAL);
        assertEquals(List.of(), loaded.warnings());
        assertEquals(FileFormat.SANDBOX, loaded.format());
        Policy policy = loaded.policy();
        Arch x86 = Arch.X86_64;
        assertEquals(Action.errno(1), policy.defaultAction());
        assertEquals(Action.allow(), decide(policy, x86, "socket", 1));
        assertEquals(Action.allow(), decide(policy, x86, "socket", 0xffffffff00000001L),
                "socket's family is an int: only the low 32 bits count");
        assertEquals(Action.log(), decide(policy, x86, "socket", 2));
        assertEquals(Action.errno(1), decide(policy, x86, "socket", 0x100000002L), ".64 compares the whole register");
        assertEquals(Action.allow(), decide(policy, x86, "clone", 0x3d0f00));
        assertEquals(Action.errno(1), decide(policy, x86, "clone", 0x10000000));
        assertEquals(Action.errno(38), decide(policy, x86, "clone3"));
        assertEquals(Action.allow(), decide(policy, x86, "ioctl", 0, 0x5401));
        assertEquals(Action.errno(1), decide(policy, x86, "ioctl", 0, 0x5412), "TIOCSTI");
        assertEquals(Action.killProcess(), decide(policy, x86, "kill", 1, 9));
        assertEquals(Action.allow(), decide(policy, x86, "mmap", 0, 4096, 3));
        assertEquals(Action.errno(1), decide(policy, x86, "mmap", 0, 4096, 7));
        assertEquals(Action.allow(), decide(policy, x86, "openat", -100, 0, 2));
        assertEquals(Action.errno(1), decide(policy, x86, "openat", -100, 0, 0x241), "O_WRONLY|O_CREAT|O_TRUNC");
        assertEquals(Action.allow(), decide(policy, x86, "write", 1, 0, 0x10000));
        assertEquals(Action.trace(7), decide(policy, x86, "write", 3, 0, 0x10000), "the more restrictive rule wins");
        assertEquals(Action.allow(), decide(policy, x86, "write", 3, 0, 100));
        assertEquals(Set.of("SECCOMP_FILTER_FLAG_LOG"), policy.runtimeOptions().flags());
    }

    @Test
    void writesTheCanonicalFormByteForByte() {
        Policy policy = parse(CANONICAL).policy();
        assertEquals(CANONICAL, PolicyFormat.write(policy));
        assertEquals(policy, parse(PolicyFormat.write(policy)).policy());
    }

    @Test
    void anyWrittenFormReadsToTheSamePolicyAsItsCanonicalForm() {
        String loose = """
                {"rules": [
                   {"reason": "query", "action": "allow", "syscall": "personality", "if": ["arg0==-1"]},
                   {"syscall": "socket", "if": ["arg0 == 1"], "action": "allow", "reason": "unix sockets"},
                   {"syscall": "clone3", "action": "errno(38)", "reason": "libc falls back to clone"},
                   {"syscall": "clone3", "action": "errno(ENOSYS)", "reason": "a duplicate is harmless"},
                   {"syscall": "ioctl", "if": ["arg1 == 0x5401"], "action": "allow", "reason": "isatty"}
                 ],
                 "architectures": ["amd64"], "defaultAction": "errno(1)", "schemaVersion": 1}
                """;
        Policy policy = parse(loose).policy();
        String canonical = PolicyFormat.write(policy);
        assertTrue(canonical.contains("{\"syscall\": \"personality\", \"if\": [\"arg0 == 0xffffffff\"]"), canonical);
        assertTrue(canonical.contains("{\"syscall\": \"socket\", \"if\": [\"arg0 == AF_UNIX\"]"), canonical);
        assertTrue(canonical.contains("{\"syscall\": \"ioctl\", \"if\": [\"arg1 == TCGETS\"]"), canonical);
        assertTrue(canonical.contains("{\"syscall\": \"clone3\", \"action\": \"errno(ENOSYS)\", \"reason\": \"libc falls back to clone\"}"),
                "of two equal rules the first is kept: " + canonical);
        assertEquals(policy, parse(canonical).policy());
        assertEquals(canonical, PolicyFormat.write(parse(canonical).policy()));
    }

    @Test
    void eachArchitectureEvaluatesSymbolsWithItsOwnValues() {
        String text = """
                {"schemaVersion": 1, "defaultAction": "allow", "architectures": ["x86_64", "aarch64"],
                 "baseArchitecture": "x86_64",
                 "rules": [{"syscall": "openat", "if": ["arg2 & O_DIRECTORY == O_DIRECTORY"], "action": "errno(EACCES)", "reason": "no directory listing"}]}
                """;
        Policy policy = parse(text).policy();
        long x86Directory = 0x10000;
        long armDirectory = 0x4000;
        assertEquals(Action.errno(13), decide(policy, Arch.X86_64, "openat", 0, 0, x86Directory));
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "openat", 0, 0, armDirectory));
        assertEquals(Action.errno(13), decide(policy, Arch.AARCH64, "openat", 0, 0, armDirectory));
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "openat", 0, 0, x86Directory));
        String written = PolicyFormat.write(policy, Arch.X86_64);
        assertFalse(written.contains("overrides"), "the symbolic rule reproduces both architectures: " + written);
        assertEquals(policy, parse(written).policy());
    }

    @Test
    void overridesReplaceAnArchitecturesRulesForASyscall() {
        String text = """
                {"schemaVersion": 1, "defaultAction": "errno(EPERM)", "architectures": ["x86_64", "aarch64"],
                 "baseArchitecture": "x86_64",
                 "rules": [
                   {"syscall": "getpid", "action": "allow", "reason": "ids"},
                   {"syscall": "ioctl", "if": ["arg1 == TCGETS"], "action": "allow", "reason": "isatty"},
                   {"syscall": "read", "action": "allow", "reason": "input"}
                 ],
                 "overrides": {"aarch64": [
                   {"syscall": "getpid", "action": "default"},
                   {"syscall": "ioctl", "if": ["arg1 == TIOCGWINSZ"], "action": "allow", "reason": "terminal size"}
                 ]}}
                """;
        Policy policy = parse(text).policy();
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "getpid"));
        assertEquals(Action.errno(1), decide(policy, Arch.AARCH64, "getpid"));
        assertEquals(Action.allow(), decide(policy, Arch.X86_64, "ioctl", 0, 0x5401));
        assertEquals(Action.errno(1), decide(policy, Arch.AARCH64, "ioctl", 0, 0x5401));
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "ioctl", 0, 0x5413));
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "read"));

        String written = PolicyFormat.write(policy);
        assertTrue(written.contains("""
                  "overrides": {
                    "aarch64": [
                      {"syscall": "getpid", "action": "default"},
                      {"syscall": "ioctl", "if": ["arg1 == TIOCGWINSZ"], "action": "allow", "reason": "terminal size"}
                    ]
                  }
                """), written);
        assertEquals(policy, parse(written).policy());
    }

    @Test
    void theWriterPicksTheBaseNeedingFewestOverridesAndIsDeterministic() {
        Map<Arch, List<Rule>> rules = new TreeMap<>();
        rules.put(Arch.X86_64, List.of(Rule.allow("read", "a"), Rule.allow("arch_prctl", "b")));
        rules.put(Arch.AARCH64, List.of(Rule.allow("read", "a")));
        Policy policy = Policy.of(Action.killProcess(), rules);
        String first = PolicyFormat.write(policy);
        assertTrue(first.contains("\"baseArchitecture\": \"x86_64\""), first);
        assertFalse(first.contains("overrides"), "arch_prctl has no aarch64 counterpart to override: " + first);
        assertEquals(first, PolicyFormat.write(Policy.of(Action.killProcess(), new TreeMap<>(rules))));
        assertEquals(policy, parse(first).policy());
        String fromArm = PolicyFormat.write(policy, Arch.AARCH64);
        assertTrue(fromArm.contains("\"x86_64\": [\n      {\"syscall\": \"arch_prctl\", \"action\": \"allow\", \"reason\": \"b\"}"), fromArm);
        assertEquals(policy, parse(fromArm).policy());
    }

    @Test
    void widthSuffixAppearsOnlyWhereTheWidthDiffersFromTheAbi() {
        Policy policy = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.of("mmap", Action.allow(), "", Condition.of(1, Operator.LE, 4096, Width.BITS32)),
                Rule.of("socket", Action.allow(), "", Condition.of(0, Operator.EQ, 1, Width.BITS32)),
                Rule.of("socket", Action.allow(), "", Condition.of(0, Operator.EQ, 2, Width.BITS64)))));
        String written = PolicyFormat.write(policy);
        assertTrue(written.contains("\"arg1.32 <= 4096\""), written);
        assertTrue(written.contains("\"arg0 == AF_UNIX\""), written);
        assertTrue(written.contains("\"arg0.64 == AF_INET\""), written);
        assertEquals(policy, parse(written).policy());
    }

    @Test
    void linesAreThoseOfTheFile() {
        Policy policy = parse(CANONICAL).policy();
        String text = PolicyFormat.write(policy);
        for (Rule rule : policy.rules(Arch.X86_64)) {
            String line = PolicyFormat.line(Arch.X86_64, rule);
            assertTrue(text.contains("    " + line + ",\n") || text.contains("    " + line + "\n"), line);
        }
    }

    @Test
    void badInputIsOneClearLocatedMessage() {
        assertBad("{\"schemaVersion\": 1,\n  \"rules\": [\n    {\"syscall\": \"read\",, }]}", 3, "malformed JSON");
        assertBad(rule("{\"syscall\": \"opne\", \"action\": \"allow\", \"reason\": \"x\"}"), 4,
                "unknown syscall \"opne\" on x86_64; did you mean open");
        assertBad(rule("{\"syscall\": \"socket\", \"if\": [\"arg0 == AF_UNIXX\"], \"action\": \"allow\", \"reason\": \"x\"}"), 4,
                "unknown constant 'AF_UNIXX' for x86_64; did you mean AF_UNIX");
        assertBad(rule("{\"syscall\": \"socket\", \"if\": [\"arg6 == 1\"], \"action\": \"allow\", \"reason\": \"x\"}"), 4,
                "argument index 6 does not exist");
        assertBad(rule("{\"syscall\": \"read\", \"action\": \"errno(5000)\", \"reason\": \"x\"}"), 4,
                "errno 5000 is out of range");
        assertBad(rule("{\"syscall\": \"read\", \"action\": \"alow\", \"reason\": \"x\"}"), 4,
                "unknown action \"alow\"; did you mean \"allow\"?");
        assertBad(rule("{\"syscall\": \"read\", \"action\": \"allow\"}"), 4, "missing \"reason\"");
        assertBad(rule("{\"syscall\": \"read\", \"action\": \"allow\", \"reasons\": \"x\"}"), 4,
                "unknown key \"reasons\" in a rule; did you mean \"reason\"?");
        assertBad(rule("{\"syscall\": \"read\", \"if\": [\"arg0 = 1\"], \"action\": \"allow\", \"reason\": \"x\"}"), 4,
                "cannot read condition \"arg0 = 1\"");
        assertBad(rule("{\"syscall\": \"socket\", \"if\": [\"arg0 == 0x100000000\"], \"action\": \"allow\", \"reason\": \"x\"}"), 4,
                "does not fit the 32 bits");
        assertBad(rule("{\"syscall\": \"socket\", \"if\": [\"arg0 == AF_UNIX\"], \"action\": \"allow\", \"reason\": \"x\"},\n"
                + "{\"syscall\": \"socket\", \"if\": [\"arg0 == 1\"], \"action\": \"kill-process\", \"reason\": \"y\"}"), 5,
                "contradicting rules on x86_64: socket is kill-process here but allow at line 4");
        assertBad("{\"schemaVersion\": 2, \"defaultAction\": \"allow\", \"architectures\": [\"x86_64\"], \"rules\": []}", 1,
                "schema version 2 is newer");
        assertBad("{\"schemaVersion\": 1, \"defaultAction\": \"allow\", \"architectures\": [\"x86_46\"], \"rules\": []}", 1,
                "unknown architecture \"x86_46\"; did you mean \"x86_64\"?");
        assertBad("{\"schemaVersion\": 1, \"defaultAction\": \"allow\", \"architectures\": [\"x86_64\", \"aarch64\"], \"rules\": []}", 1,
                "missing \"baseArchitecture\"");
    }

    private static String rule(String rules) {
        return "{\"schemaVersion\": 1, \"defaultAction\": \"errno(EPERM)\",\n \"architectures\": [\"x86_64\"],\n \"rules\": [\n"
                + rules + "\n]}";
    }

    private static void assertBad(String text, int line, String message) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> parse(text));
        assertNotNull(e.location(), e.getMessage());
        assertEquals(line, e.location().line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(FILE + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void everyActionRoundTrips() {
        for (Action action : List.of(Action.allow(), Action.log(), Action.trace(0), Action.trace(65535), Action.userNotif(),
                Action.errno(0), Action.errno(1), Action.errno(4095), Action.trap(), Action.killThread(), Action.killProcess())) {
            Policy policy = Policy.of(action, Map.of(Arch.AARCH64, List.of(Rule.of("getpid", action.equals(Action.allow())
                    ? Action.killProcess() : Action.allow(), "r"))));
            assertEquals(policy, parse(PolicyFormat.write(policy)).policy(), action.toString());
        }
        assertEquals(new TreeSet<>(List.of(Arch.AARCH64)), new TreeSet<>(parse(PolicyFormat.write(
                Policy.of(Action.allow(), Map.of(Arch.AARCH64, List.of())))).policy().architectures()));
    }

    @Test
    void namesAnArchitectureLacksAreTranslatedWithAWarningNamingTheEquivalent() {
        String text = """
                {"schemaVersion": 1, "defaultAction": "errno(EPERM)", "architectures": ["x86_64", "aarch64"],
                 "baseArchitecture": "x86_64",
                 "rules": [
                   {"syscall": "arch_prctl", "action": "allow", "reason": "TLS"},
                   {"syscall": "getdents", "action": "allow", "reason": "list directories"},
                   {"syscall": "open", "action": "allow", "reason": "open files"},
                   {"syscall": "open", "if": ["arg1 & O_CREAT == O_CREAT"], "action": "kill-process", "reason": "never create"},
                   {"syscall": "vfork", "action": "allow", "reason": "spawn"},
                   {"syscall": "clone", "if": ["arg0 & CLONE_NEWUSER == 0"], "action": "allow", "reason": "threads"}
                 ]}
                """;
        LoadedPolicy loaded = parse(text);
        Policy policy = loaded.policy();
        List<String> warnings = loaded.warnings();
        assertEquals(5, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.get(0).startsWith(FILE + ":4:") && warnings.get(0).contains("arch_prctl does not exist on "
                + "aarch64 and has no equivalent there"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith(FILE + ":5:") && warnings.get(1).endsWith("there its rules apply to its "
                + "exact equivalent getdents64"), warnings.get(1));
        assertTrue(warnings.get(2).startsWith(FILE + ":6:") && warnings.get(2).contains("equivalent openat, a SUPERSET ("),
                warnings.get(2));
        assertTrue(warnings.get(3).startsWith(FILE + ":7:") && warnings.get(3).contains("rule with conditions is left out "
                + "on aarch64; add an override for aarch64"), warnings.get(3));
        assertTrue(warnings.get(4).startsWith(FILE + ":8:") && warnings.get(4).contains("its equivalent clone has rules "
                + "of its own there, which apply instead"), warnings.get(4));

        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "getdents64"));
        assertEquals(Action.allow(), decide(policy, Arch.AARCH64, "openat", -100, 0, 0x40));
        assertEquals(Action.killProcess(), decide(policy, Arch.X86_64, "open", 0, 0x40));
        assertEquals(Action.errno(1), decide(policy, Arch.AARCH64, "clone", 0x10000000), "vfork does not widen clone");
        assertEquals(List.of(new Rule("getdents64", Action.allow(), List.of(), "list directories")),
                policy.rules(Arch.AARCH64, "getdents64"), "a translated rule keeps its reason");
        assertFalse(SyscallTable.of(Arch.AARCH64).contains("arch_prctl"));

        String written = PolicyFormat.write(policy, Arch.X86_64);
        assertFalse(written.contains("overrides"), written);
        assertEquals(policy, parse(written).policy());
    }

    @Test
    void dockerDefaultSurvivesOurFormat() {
        Policy imported = DockerProfile.read(SharedCorpus.file("docker-default.json")).policy();
        String ours = PolicyFormat.write(imported);
        LoadedPolicy read = parse(ours);
        assertEquals(imported, read.policy());
        assertEquals(ours, PolicyFormat.write(read.policy()));
        assertTrue(ours.contains("{\"syscall\": \"socket\", \"if\": [\"arg0.64 < AF_ALG\"], \"action\": \"allow\", \"reason\": \"\"}"), ours);
        assertTrue(read.warnings().stream().allMatch(w -> w.contains("does not exist on aarch64")), read.warnings().toString());
    }
}
