package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/** Random but reproducible policies for property tests: every action, operator and width, dense and sparse. */
final class RandomPolicies {

    private static final long[] EDGES = {0, 1, 2, 0x7f, 0xffff_ffffL, 0x1_0000_0000L, 0x1_0000_0001L,
            0x7fff_ffff_ffff_ffffL, 0x8000_0000_0000_0000L, -1L, -2L, 0xffff_ffff_0000_0000L};

    private final Random random;

    RandomPolicies(Random random) {
        this.random = random;
    }

    Policy next() {
        Map<Arch, List<Rule>> rules = new TreeMap<>();
        for (Arch arch : Arch.values()) {
            if (rules.isEmpty() || random.nextBoolean()) {
                rules.put(arch, rules(arch));
            }
        }
        return Policy.of(action(), rules);
    }

    private List<Rule> rules(Arch arch) {
        List<String> names = new ArrayList<>(SyscallTable.of(arch).names());
        // From a handful of syscalls to nearly all, so that ranges are both short and long.
        int count = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(8);
            case 1 -> random.nextInt(60);
            case 2 -> random.nextInt(names.size());
            default -> names.size() - random.nextInt(20);
        };
        Set<String> keys = new HashSet<>();
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = names.get(random.nextInt(names.size()));
            int variants = random.nextInt(10) < 7 ? 1 : 1 + random.nextInt(4);
            for (int v = 0; v < variants; v++) {
                List<Condition> conditions = new ArrayList<>();
                int conditionCount = variants == 1 && random.nextInt(3) > 0 ? 0 : random.nextInt(4);
                for (int c = 0; c < conditionCount; c++) {
                    conditions.add(condition());
                }
                Rule rule = new Rule(name, action(), conditions, "");
                if (keys.add(name + " " + rule.conditions())) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    private Condition condition() {
        int index = random.nextInt(Condition.MAX_INDEX + 1);
        Width width = random.nextBoolean() ? Width.BITS64 : Width.BITS32;
        Operator operator = Operator.values()[random.nextInt(Operator.values().length)];
        long value = value();
        if (operator == Operator.MASKED_EQ) {
            long mask = value();
            // Mostly satisfiable masks, sometimes not.
            long masked = random.nextInt(4) == 0 ? value : value & mask;
            return Condition.masked(index, mask, masked, width);
        }
        return Condition.of(index, operator, value, width);
    }

    private long value() {
        return switch (random.nextInt(3)) {
            case 0 -> EDGES[random.nextInt(EDGES.length)];
            case 1 -> random.nextInt(1 << 12);
            default -> random.nextLong();
        };
    }

    Action action() {
        return switch (random.nextInt(9)) {
            case 0, 1 -> Action.allow();
            case 2 -> Action.errno(1 + random.nextInt(Action.MAX_ERRNO));
            case 3 -> Action.killProcess();
            case 4 -> Action.killThread();
            case 5 -> Action.trap();
            case 6 -> Action.log();
            case 7 -> Action.trace(random.nextInt(0x10000));
            default -> random.nextBoolean() ? Action.userNotif() : Action.errno(Policy.ENOSYS);
        };
    }
}
