package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Compiled programs decide every call as the policy model does, on every architecture and every kind of input. */
class SeccompCompilerPropertyTest {

    private static final int POLICIES = 300;

    @Test
    void programsAgreeWithThePolicyModel() {
        Random random = new Random(20240611L);
        RandomPolicies policies = new RandomPolicies(random);
        int checked = 0;
        for (int p = 0; p < POLICIES; p++) {
            Policy policy = policies.next();
            int slack = random.nextInt(4);
            Map<Arch, Map<String, Long>> weights = random.nextBoolean() ? Map.of() : randomWeights(random);
            Map<Arch, Program> programs = new SeccompCompiler(slack).compile(policy, weights);
            assertEquals(policy.architectures(), programs.keySet());
            for (Map.Entry<Arch, Program> entry : programs.entrySet()) {
                Verifier.verify(entry.getValue());
                for (SeccompData data : inputs(policy, entry.getKey(), random)) {
                    Simulator.Result result = Simulator.run(entry.getValue(), data);
                    // A program serves one ABI; another supported ABI's calls never reach it, yet it must kill them.
                    Action expected = data.arch() == entry.getKey().auditArch() || Arch.fromAuditArch(data.arch()).isEmpty()
                            ? policy.decide(data) : Action.killProcess();
                    if (!expected.equals(Action.fromSeccompReturn(result.returnValue()))) {
                        fail("policy " + p + " on " + entry.getKey().id() + " decides " + expected + " for " + data
                                + " but the program returns 0x" + Integer.toHexString(result.returnValue())
                                + "\n" + policy.rules(entry.getKey()) + "\ndefault " + policy.defaultAction()
                                + "\n" + Disassembler.listing(entry.getValue(), entry.getKey()));
                    }
                    checked++;
                }
            }
        }
        System.out.println("checked " + checked + " calls against " + POLICIES + " policies");
    }

    @Test
    void compilingTwiceGivesTheSameBytes() {
        RandomPolicies policies = new RandomPolicies(new Random(7));
        for (int p = 0; p < 40; p++) {
            Policy policy = policies.next();
            Map<Arch, Program> first = new SeccompCompiler().compile(policy);
            Map<Arch, Program> second = new SeccompCompiler().compile(policy);
            for (Arch arch : first.keySet()) {
                assertArrayEquals(first.get(arch).toBytes(), second.get(arch).toBytes(), "policy " + p + " " + arch);
            }
        }
    }

    private static Map<Arch, Map<String, Long>> randomWeights(Random random) {
        Map<Arch, Map<String, Long>> weights = new HashMap<>();
        for (Arch arch : Arch.values()) {
            Map<String, Long> counts = new HashMap<>();
            List<String> names = new ArrayList<>(SyscallTable.of(arch).names());
            for (int i = random.nextInt(40); i > 0; i--) {
                counts.put(names.get(random.nextInt(names.size())), (long) random.nextInt(1_000_000));
            }
            weights.put(arch, counts);
        }
        return weights;
    }

    /** Every number up to 1023, x32 numbers, -1 and random ones; wrong ABIs; arguments around every constant. */
    private static List<SeccompData> inputs(Policy policy, Arch arch, Random random) {
        List<SeccompData> inputs = new ArrayList<>();
        Set<Integer> numbers = new LinkedHashSet<>();
        for (int nr = 0; nr < 1024; nr++) {
            numbers.add(nr);
        }
        for (int i = 0; i < 16; i++) {
            numbers.add(Arch.X32_SYSCALL_BIT | random.nextInt(1024));
            numbers.add(random.nextInt());
        }
        for (int corner : new int[] {-1, -2, Arch.X32_SYSCALL_BIT, Arch.X32_SYSCALL_BIT - 1, Integer.MAX_VALUE,
                Integer.MIN_VALUE, 0xbfffffff, 0xc0000000}) {
            numbers.add(corner);
        }
        int[] wrongArches = {arch.compatAuditArch(), otherArch(arch).auditArch(), random.nextInt(), 0};
        for (int nr : numbers) {
            // Arguments matter only for syscalls with argument rules, which get their own inputs below.
            inputs.add(data(nr, arch.auditArch(), randomArgs(random), random));
            if (nr % 7 == 0 || nr < 0) {
                inputs.add(data(nr, wrongArches[random.nextInt(wrongArches.length)], randomArgs(random), random));
            }
        }
        SyscallTable table = SyscallTable.of(arch);
        Map<String, List<Rule>> bySyscall = new HashMap<>();
        for (Rule rule : policy.rules(arch)) {
            bySyscall.computeIfAbsent(rule.syscall(), s -> new ArrayList<>()).add(rule);
        }
        for (Map.Entry<String, List<Rule>> entry : bySyscall.entrySet()) {
            int nr = table.number(entry.getKey()).orElseThrow();
            List<Condition> conditions = entry.getValue().stream().flatMap(r -> r.conditions().stream()).toList();
            if (conditions.isEmpty()) {
                continue;
            }
            for (int i = 0; i < 24; i++) {
                long[] args = randomArgs(random);
                // Put several arguments right at, below or above a constant, so that rules match and miss.
                for (int j = random.nextInt(4); j >= 0; j--) {
                    Condition c = conditions.get(random.nextInt(conditions.size()));
                    args[c.index()] = near(c, random);
                }
                inputs.add(data(nr, arch.auditArch(), args, random));
                inputs.add(data(nr, wrongArches[random.nextInt(wrongArches.length)], args, random));
            }
            // Every condition exactly at its constant at once, the case most rules are written for.
            long[] args = randomArgs(random);
            for (Condition c : conditions) {
                args[c.index()] = c.operator() == Operator.MASKED_EQ
                        ? c.value() | (random.nextLong() & ~c.mask()) : c.value();
            }
            inputs.add(data(nr, arch.auditArch(), args, random));
        }
        return inputs;
    }

    private static long near(Condition condition, Random random) {
        long base = condition.operator() == Operator.MASKED_EQ
                ? condition.value() | (random.nextLong() & ~condition.mask())
                : condition.value();
        long value = base + (random.nextInt(3) - 1);
        return switch (random.nextInt(4)) {
            // Random high bits: a 32-bit condition must ignore them, a 64-bit one must not.
            case 0 -> (random.nextLong() << 32) | (value & 0xffff_ffffL);
            case 1 -> value ^ (1L << (32 + random.nextInt(32)));
            default -> value;
        };
    }

    private static long[] randomArgs(Random random) {
        long[] args = new long[6];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> random.nextInt(4096);
                default -> random.nextLong();
            };
        }
        return args;
    }

    private static SeccompData data(int nr, int arch, long[] args, Random random) {
        return new SeccompData(nr, arch, random.nextLong(), args);
    }

    private static Arch otherArch(Arch arch) {
        return arch == Arch.X86_64 ? Arch.AARCH64 : Arch.X86_64;
    }
}
