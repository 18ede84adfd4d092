package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyMergeTest {

    private static final Condition UNIX = Condition.of(0, Operator.EQ, 1, Width.BITS32);
    private static final Condition INET = Condition.of(0, Operator.EQ, 2, Width.BITS32);

    @Test
    void keepsEveryRuleOfBothAndTheLessRestrictiveOfTwoEqualTests() {
        Policy tests = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.allow("read", "tests"),
                Rule.of("socket", Action.allow(), "tests", UNIX),
                Rule.of("clone3", Action.errno(38), "not recorded"))));
        Policy server = Policy.of(Action.errno(1), Map.of(
                Arch.X86_64, List.of(Rule.allow("read", "server"), Rule.of("socket", Action.allow(), "server", INET),
                        Rule.allow("clone3", "server")),
                Arch.AARCH64, List.of(Rule.allow("read", "server"))));
        Policy merged = PolicyMerge.merge(tests, server);
        assertEquals(Set.of(Arch.X86_64, Arch.AARCH64), merged.architectures());
        assertEquals(List.of(
                Rule.allow("clone3", "server"),
                Rule.allow("read", "tests"),
                Rule.of("socket", Action.allow(), "tests", UNIX),
                Rule.of("socket", Action.allow(), "server", INET)), merged.rules(Arch.X86_64));
        assertEquals(List.of(Rule.allow("read", "server")), merged.rules(Arch.AARCH64));
        assertEquals(merged, PolicyMerge.merge(merged, tests), "merging again adds nothing");
    }

    @Test
    void aRefreshKeepsTheCommittedDenialsAndAddsWhatTheRecordingNeeds() {
        Policy committed = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.allow("read", "reviewed"),
                Rule.of("clone3", Action.errno(38), "reviewed: libc falls back to clone"))));
        Policy recorded = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.allow("read", "recorded"),
                Rule.allow("clone3", "recorded"),
                Rule.allow("times", "recorded"))));
        Policy refreshed = PolicyMerge.refresh(committed, recorded);
        assertEquals(List.of(
                Rule.of("clone3", Action.errno(38), "reviewed: libc falls back to clone"),
                Rule.allow("read", "reviewed"),
                Rule.allow("times", "recorded")), refreshed.rules(Arch.X86_64));
        assertEquals(Action.allow(), PolicyMerge.merge(committed, recorded).rules(Arch.X86_64, "clone3").get(0).action(),
                "a plain union keeps the allow; only a refresh respects the review");
    }

    @Test
    void unitesRuntimeOptionsAndRefusesDifferentDefaults() {
        Policy a = new Policy(Action.allow(), new java.util.TreeMap<>(Map.of(Arch.X86_64, List.of())),
                new RuntimeOptions(new TreeSet<>(Set.of("SECCOMP_FILTER_FLAG_LOG")), "/run/a.sock", ""));
        Policy b = new Policy(Action.allow(), new java.util.TreeMap<>(Map.of(Arch.X86_64, List.of())),
                new RuntimeOptions(new TreeSet<>(Set.of("SECCOMP_FILTER_FLAG_SPEC_ALLOW")), "", "meta"));
        RuntimeOptions options = PolicyMerge.merge(a, b).runtimeOptions();
        assertEquals(Set.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), options.flags());
        assertEquals("/run/a.sock", options.listenerPath());
        assertEquals("meta", options.listenerMetadata());

        Policy kill = Policy.of(Action.killProcess(), Map.of(Arch.X86_64, List.of()));
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyMerge.merge(a, kill));
        assertTrue(e.getMessage().contains("different default actions"), e.getMessage());
    }
}
