package dev.sandboxed.report;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Allowance} must agree with {@link Policy#decide}, the reference every compiled filter is tested against:
 * probing each syscall with argument vectors built to satisfy and to miss every condition, an allowed call is
 * permitted by every probe, a denied one by none, and a conditional one by some but not all.
 */
class AllowanceTest {

    private static final Arch X86 = Arch.X86_64;
    private static final Action EPERM = Action.errno(1);

    @Test
    void agreesWithTheReferenceOnTheRealisticPolicy() {
        assertAgreesWithDecide(ReportFixtures.realistic().policy());
    }

    @Test
    void agreesWithTheReferenceOnDockersDefault() {
        ReportFixtures.dockerDefault().ifPresent(AllowanceTest::assertAgreesWithDecide);
    }

    @Test
    void aDenyListPolicyAllowsEverythingItDoesNotDeny() {
        Policy denyList = Policy.of(Action.allow(), Map.of(X86, List.of(
                Rule.of("ptrace", EPERM, "no debugging"),
                Rule.of("socket", EPERM, "no raw packets", Condition.of(0, Operator.EQ, 17, Width.BITS32)))));
        assertEquals(Allowance.ALLOWED, Allowance.of(denyList, X86, "read"));
        assertEquals(Allowance.DENIED, Allowance.of(denyList, X86, "ptrace"));
        assertEquals(Allowance.CONDITIONAL, Allowance.of(denyList, X86, "socket"));
        assertEquals(SyscallTable.of(X86).names().size() - 1, Allowance.permitted(denyList, X86).size());
        assertAgreesWithDecide(denyList);
    }

    @Test
    void anUnconditionalDenialOverrulesEveryAllowRule() {
        Policy shadowed = Policy.of(EPERM, Map.of(X86, List.of(
                Rule.of("bpf", Action.killProcess(), "never"),
                Rule.of("bpf", Action.allow(), "looks allowed", Condition.of(0, Operator.EQ, 0, Width.BITS32)),
                Rule.of("write", Action.log(), "audited"))));
        assertEquals(Allowance.DENIED, Allowance.of(shadowed, X86, "bpf"));
        assertEquals(Allowance.ALLOWED, Allowance.of(shadowed, X86, "write"), "log lets the call through");
        assertEquals(Allowance.DENIED, Allowance.of(shadowed, Arch.AARCH64, "write"), "an architecture not covered");
        assertEquals(Allowance.DENIED, Allowance.of(shadowed, X86, "no_such_call"));
        assertAgreesWithDecide(shadowed);
    }

    private static void assertAgreesWithDecide(Policy policy) {
        for (Arch arch : policy.architectures()) {
            SyscallTable table = SyscallTable.of(arch);
            for (String syscall : table.names()) {
                List<Rule> rules = policy.rules(arch, syscall);
                int nr = table.number(syscall).orElseThrow();
                int permitted = 0;
                List<long[]> probes = probes(rules, syscall.hashCode());
                for (long[] args : probes) {
                    if (policy.decide(SeccompData.of(arch, nr, args)).permits()) {
                        permitted++;
                    }
                }
                Allowance allowance = Allowance.of(policy, arch, syscall);
                String context = arch.id() + " " + syscall + " " + rules;
                switch (allowance) {
                    case ALLOWED -> assertEquals(probes.size(), permitted, context);
                    case DENIED -> assertEquals(0, permitted, context);
                    case CONDITIONAL -> assertTrue(permitted > 0 && permitted < probes.size(),
                            context + ": " + permitted + " of " + probes.size());
                }
            }
        }
    }

    /** Argument vectors that satisfy each rule's conditions all at once, miss each one, plus extremes and noise. */
    private static List<long[]> probes(List<Rule> rules, long seed) {
        List<long[]> probes = new ArrayList<>();
        probes.add(new long[6]);
        long[] ones = new long[6];
        java.util.Arrays.fill(ones, -1L);
        probes.add(ones);
        for (Rule rule : rules) {
            long[] all = new long[6];
            for (Condition c : rule.conditions()) {
                all[c.index()] = satisfying(c);
            }
            probes.add(all);
            for (Condition c : rule.conditions()) {
                long[] miss = all.clone();
                miss[c.index()] = missing(c);
                probes.add(miss);
            }
        }
        Random random = new Random(seed);
        for (int i = 0; i < 16; i++) {
            long[] args = new long[6];
            for (int j = 0; j < 6; j++) {
                args[j] = random.nextBoolean() ? random.nextInt(64) : random.nextLong();
            }
            probes.add(args);
        }
        return probes;
    }

    private static long satisfying(Condition c) {
        return switch (c.operator()) {
            case EQ, LE, GE, MASKED_EQ -> c.value();
            case NE, GT -> c.value() + 1;
            case LT -> c.value() - 1;
        };
    }

    private static long missing(Condition c) {
        return switch (c.operator()) {
            case EQ, LT -> c.value() + 1 == 0 ? c.value() - 1 : c.value() + 1;
            case NE, LE -> c.value() == -1L ? c.value() : c.value() + 1;
            case GE, GT -> c.value() == 0 ? 0 : c.value() - 1;
            case MASKED_EQ -> c.value() ^ c.mask();
        };
    }
}
