package dev.sandboxed.goals;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.sandbox.FilesystemViolation;
import dev.sandboxed.sandbox.Violation;
import dev.sandboxed.sandbox.Violations;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.Constants;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VerifyReportTest {

    private static final String JAVA = "/usr/bin/java";
    private static final Constants X86 = Constants.of(Arch.X86_64);

    private final Policy policy = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
            Rule.of("socket", Action.allow(), "recorded", condition(0, X86.value("AF_UNIX").orElseThrow())),
            Rule.of("ptrace", Action.killProcess(), "never debug"))));

    @Test
    void aRefusedCallGetsTheLineTheProfileWouldHaveWritten() {
        Violation socket = new Violation("socket", 41, "x86_64", JAVA, "errno", 3,
                values(0, X86.value("AF_INET").orElseThrow()));
        assertEquals("x86_64 /usr/bin/java: socket \u00d73 (arg0 = AF_INET) \u2014 add {\"syscall\": \"socket\", \"if\":"
                + " [\"arg0 == AF_INET\"], \"action\": \"allow\", \"reason\": \"seen by sandbox:verify: 3 calls by"
                + " /usr/bin/java\"}", line(socket));
    }

    @Test
    void withoutArgumentsTheLineAllowsTheCallAndSaysToNarrowIt() {
        Violation socket = new Violation("socket", 41, "x86_64", "/opt/java/bin/java", "log", 1, new TreeMap<>());
        assertEquals("x86_64 /opt/java/bin/java: socket \u00d71 \u2014 add {\"syscall\": \"socket\", \"action\":"
                + " \"allow\", \"reason\": \"seen by sandbox:verify: 1 call by /opt/java/bin/java; its arguments were"
                + " not visible, narrow the rule with \\\"if\\\"\"}", line(socket));
    }

    @Test
    void anExplicitRefusalIsNamedByItsOwnLine() {
        Violation ptrace = new Violation("ptrace", 101, "x86_64", JAVA, "kill-process", 1, new TreeMap<>());
        assertEquals("x86_64 /usr/bin/java: ptrace \u00d71 \u2014 the policy refuses it explicitly with {\"syscall\":"
                + " \"ptrace\", \"action\": \"kill-process\", \"reason\": \"never debug\"}; change or remove that line",
                line(ptrace));
    }

    @Test
    void foreignAbisAndUnknownNumbersCannotBeAllowed() {
        assertEquals("i386 /usr/bin/java: i386:359 \u00d71 \u2014 calls through the i386 ABI are always killed and no"
                + " policy line can allow them: a 64-bit program has no reason to make them, a compromised one uses"
                + " them to slip past filters",
                line(new Violation("i386:359", 359, "i386", JAVA, "kill-process", 1, new TreeMap<>())));
        assertEquals("x86_64 /usr/bin/java: x32:socket \u00d71 \u2014 x32 calls (numbers with bit 0x40000000) are always"
                + " killed and no policy line can allow them",
                line(new Violation("x32:socket", 0x40000029, "x86_64", JAVA, "kill-process", 1, new TreeMap<>())));
        assertEquals("x86_64 /usr/bin/java: unknown \u00d71 \u2014 1000 is no x86_64 system call; the policy refuses"
                + " numbers it does not know",
                line(new Violation("unknown", 1000, "x86_64", JAVA, "errno", 1, new TreeMap<>())));
    }

    @Test
    void aNameIsShownOnlyWhereItMeansExactlyTheValue() {
        Violation setns = new Violation("setns", 308, "x86_64", JAVA, "errno", 1, values(1, 0));
        assertEquals("arg1 = 0", VerifyReport.arguments(setns), "CLONE_CLEAR_SIGHAND is 1 << 32, not 0");
        Violation unshare = new Violation("unshare", 272, "x86_64", JAVA, "errno", 1,
                values(0, X86.value("CLONE_NEWUSER").orElseThrow() | X86.value("CLONE_NEWNS").orElseThrow()));
        assertEquals("arg0 = CLONE_NEWNS|CLONE_NEWUSER", VerifyReport.arguments(unshare));
    }

    @Test
    void aRefusedFileGetsTheRuleThatWouldAllowIt() {
        Path rules = Path.of("/p/src/main/sandbox/filesystem.json");
        Optional<Path> applied = Optional.of(Path.of("/p/target/sandbox/verify/filesystem.json"));
        List<FilesystemViolation> files = List.of(
                new FilesystemViolation("/data/out/new.txt", "create", JAVA, 1, "landlock", ""),
                new FilesystemViolation("/bin/sh", "execute", "/jdk/lib/jspawnhelper", 1, "landlock", ""),
                new FilesystemViolation("/etc/escape.txt", "create", "", 1, "read-only root", ""));
        List<String> lines = VerifyReport.lines(VerifyReport.explained(new Violations(List.of(), files, List.of(),
                List.of()), policy, rules, applied));
        assertEquals(List.of(
                "filesystem /jdk/lib/jspawnhelper: execute /bin/sh \u00d71 (landlock)"
                        + " \u2014 outside the filesystem rules; if the application needs it, add \"/bin/sh\" to"
                        + " \"execute\" in " + rules + " (start from " + applied.get() + ")",
                "filesystem /usr/bin/java: create /data/out/new.txt \u00d71 (landlock) \u2014 outside the filesystem"
                        + " rules; if the application needs it, add \"/data/out\" to \"readWrite\" in " + rules
                        + " (start from " + applied.get() + ")",
                "filesystem: create /etc/escape.txt \u00d71 (read-only root) \u2014 the container's root filesystem is"
                        + " read-only; if the application must write there, make the directory an output"
                        + " (sandbox.outputs)"), lines);
    }

    private String line(Violation violation) {
        Violations explained = VerifyReport.explained(new Violations(List.of(violation), List.of()), policy,
                Path.of("filesystem.json"), Optional.empty());
        return VerifyReport.lines(explained).get(0);
    }

    private static Condition condition(int index, long value) {
        return Condition.of(index, Operator.EQ, value, Width.BITS32);
    }

    private static SortedMap<Integer, SortedSet<Long>> values(int index, long value) {
        SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
        values.put(index, new TreeSet<>(Set.of(value)));
        return values;
    }
}
