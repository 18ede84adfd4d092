package dev.sandboxed.bpf;

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

import java.nio.file.Files;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every syscall the policy allows whatever its arguments stays cacheable by the kernel, and nothing else is. */
class KernelCacheTest {

    @Test
    void everyUnconditionallyAllowedSyscallIsCacheable() {
        Random random = new Random(11);
        RandomPolicies policies = new RandomPolicies(random);
        int cached = 0;
        for (int p = 0; p < 150; p++) {
            Policy policy = policies.next();
            Map<Arch, Program> programs = new SeccompCompiler(random.nextInt(3)).compile(policy);
            for (Map.Entry<Arch, Program> entry : programs.entrySet()) {
                Arch arch = entry.getKey();
                BitSet cacheable = KernelCache.cacheable(entry.getValue(), arch);
                SyscallTable table = SyscallTable.of(arch);
                for (int nr = 0; nr <= table.maxNumber(); nr++) {
                    if (allowedWhateverTheArguments(policy, arch, table.name(nr))) {
                        assertTrue(cacheable.get(nr), "policy " + p + " " + arch.id() + " nr " + nr + " " + table.name(nr));
                        cached++;
                    }
                    if (cacheable.get(nr)) {
                        for (int i = 0; i < 2; i++) {
                            SeccompData data = SeccompData.of(arch, nr, random.nextLong(), random.nextLong(),
                                    random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
                            assertEquals(Action.allow(), policy.decide(data), "cached but not allowed: " + data);
                        }
                    }
                    assertFalse(KernelCache.constantAllow(entry.getValue(), nr, arch.compatAuditArch()),
                            "the 32-bit ABI must never be cached");
                }
            }
        }
        System.out.println(cached + " unconditionally allowed syscalls, all cacheable");
    }

    @Test
    void allow100IsCachedExactly() {
        assumeTrue(Files.isRegularFile(Corpus.allow100()), "no corpus at " + Corpus.allow100());
        Program program = new SeccompCompiler().compile(Corpus.allow100Policy(), Arch.X86_64, Corpus.allow100Weights());
        BitSet expected = new BitSet();
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        Corpus.allow100Names().forEach(name -> expected.set(table.number(name).orElseThrow()));
        assertEquals(expected, KernelCache.cacheable(program, Arch.X86_64));
    }

    @Test
    void argumentRulesAndLoggingAreNotCached() {
        Policy policy = Policy.of(Action.allow(), Map.of(Arch.AARCH64, List.of(
                Rule.of("openat", Action.errno(1), "", Condition.of(2, Operator.EQ, 0, Width.BITS32)),
                Rule.of("read", Action.log(), ""))));
        Program program = new SeccompCompiler().compile(policy).get(Arch.AARCH64);
        BitSet cacheable = KernelCache.cacheable(program, Arch.AARCH64);
        SyscallTable table = SyscallTable.of(Arch.AARCH64);
        assertFalse(cacheable.get(table.number("openat").orElseThrow()));
        assertFalse(cacheable.get(table.number("read").orElseThrow()));
        assertTrue(cacheable.get(table.number("write").orElseThrow()));
    }

    /** The model's answer is ALLOW whatever the arguments: every rule that can decide, or else the default, allows. */
    private static boolean allowedWhateverTheArguments(Policy policy, Arch arch, Optional<String> name) {
        if (name.isEmpty()) {
            return policy.defaultAction().equals(Action.allow());
        }
        for (Rule rule : policy.rules(arch, name.get())) {
            if (!rule.action().equals(Action.allow())) {
                return false;
            }
            if (rule.unconditional()) {
                return true;
            }
        }
        return policy.defaultAction().equals(Action.allow());
    }
}
