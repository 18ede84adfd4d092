package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyDiffTest {

    private static final Condition TCGETS = Condition.of(1, Operator.EQ, 0x5401, Width.BITS32);
    private static final Condition TIOCGWINSZ = Condition.of(1, Operator.EQ, 0x5413, Width.BITS32);

    private static Policy before() {
        List<Rule> rules = List.of(Rule.allow("read", "input"), Rule.of("ioctl", Action.allow(), "isatty", TCGETS),
                Rule.allow("getpid", "ids"));
        return Policy.of(Action.errno(1), Map.of(Arch.X86_64, rules, Arch.AARCH64, rules));
    }

    private static Policy after() {
        List<Rule> rules = List.of(Rule.allow("read", "recorded: 3 calls"), Rule.of("ioctl", Action.allow(), "size", TIOCGWINSZ),
                Rule.of("getpid", Action.log(), "ids"));
        return Policy.of(Action.errno(1), Map.of(Arch.X86_64, rules,
                Arch.AARCH64, List.of(Rule.allow("read", "input"), Rule.of("getpid", Action.log(), "ids"))));
    }

    @Test
    void findsAddedRemovedAndChangedRulesPerArchitecture() {
        PolicyDiff diff = PolicyDiff.between(before(), after());
        assertEquals(List.of(new PolicyDiff.Placed(Arch.X86_64, Rule.of("ioctl", Action.allow(), "size", TIOCGWINSZ))),
                diff.added());
        assertEquals(List.of(new PolicyDiff.Placed(Arch.X86_64, Rule.of("ioctl", Action.allow(), "isatty", TCGETS)),
                new PolicyDiff.Placed(Arch.AARCH64, Rule.of("ioctl", Action.allow(), "isatty", TCGETS))), diff.removed());
        assertEquals(List.of(
                new PolicyDiff.Changed(Arch.X86_64, Rule.allow("getpid", "ids"), Rule.of("getpid", Action.log(), "ids")),
                new PolicyDiff.Changed(Arch.X86_64, Rule.allow("read", "input"), Rule.allow("read", "recorded: 3 calls")),
                new PolicyDiff.Changed(Arch.AARCH64, Rule.allow("getpid", "ids"), Rule.of("getpid", Action.log(), "ids"))),
                diff.changed());
        assertTrue(PolicyDiff.between(after(), after()).isEmpty());
        assertEquals("no changes\n", PolicyDiff.between(after(), after()).render());
    }

    @Test
    void rendersTheExactPolicyLinesOncePerGroupOfArchitectures() {
        String text = PolicyDiff.between(before(), after()).render();
        assertEquals("""
                aarch64, x86_64:
                - {"syscall": "getpid", "action": "allow", "reason": "ids"}
                + {"syscall": "getpid", "action": "log", "reason": "ids"}
                - {"syscall": "ioctl", "if": ["arg1 == TCGETS"], "action": "allow", "reason": "isatty"}
                x86_64:
                + {"syscall": "ioctl", "if": ["arg1 == TIOCGWINSZ"], "action": "allow", "reason": "size"}
                - {"syscall": "read", "action": "allow", "reason": "input"}
                + {"syscall": "read", "action": "allow", "reason": "recorded: 3 calls"}
                1 added, 1 removed, 2 changed
                """, text);
        String policyText = PolicyFormat.write(after(), Arch.X86_64);
        assertTrue(policyText.contains("{\"syscall\": \"ioctl\", \"if\": [\"arg1 == TIOCGWINSZ\"], \"action\": \"allow\", "
                + "\"reason\": \"size\"}"), "the rendered line is the file's line: " + policyText);
    }

    @Test
    void showsADefaultActionChange() {
        Policy stricter = Policy.of(Action.killProcess(), before().rules());
        assertEquals("defaultAction: errno(EPERM) -> kill-process\n0 added, 0 removed, 0 changed\n",
                PolicyDiff.between(before(), stricter).render());
    }
}
