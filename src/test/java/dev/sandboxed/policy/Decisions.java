package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Compares what two policies decide over every syscall number and the argument values where rules change their minds. */
final class Decisions {

    private static final long[] ALWAYS = {0, 1, 2, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L,
            0xffffffff00000000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L};

    private Decisions() {
    }

    /** Boundary values of every condition in the policies, plus fixed ones: where a decision can flip. */
    static SortedSet<Long> boundaries(Policy... policies) {
        SortedSet<Long> values = new TreeSet<>();
        for (long v : ALWAYS) {
            values.add(v);
        }
        for (Policy policy : policies) {
            policy.rules().values().forEach(rules -> rules.forEach(rule -> rule.conditions().forEach(c -> {
                for (long v : new long[] {c.value(), c.value() - 1, c.value() + 1, c.mask(), c.mask() | c.value(),
                        c.value() | 0xffffffff00000000L, c.mask() & ~c.value(), ~c.mask()}) {
                    values.add(v);
                }
            })));
        }
        return values;
    }

    /** Asserts equal decisions for numbers 0..1023 on every architecture, each argument set to each boundary. */
    static int assertSame(Policy expected, Policy actual) {
        SortedSet<Long> values = boundaries(expected, actual);
        int checked = 0;
        for (Arch arch : Arch.values()) {
            for (int nr = 0; nr < 1024; nr++) {
                for (long[] args : argumentSets(values)) {
                    SeccompData data = SeccompData.of(arch, nr, args);
                    assertEquals(expected.decide(data), actual.decide(data), () -> "decision differs for " + data);
                    checked++;
                }
            }
        }
        return checked;
    }

    private static List<long[]> argumentSets(SortedSet<Long> values) {
        List<long[]> sets = new ArrayList<>();
        sets.add(new long[6]);
        for (int index = 0; index < 6; index++) {
            for (long value : values) {
                long[] args = new long[6];
                args[index] = value;
                sets.add(args);
            }
        }
        return sets;
    }
}
