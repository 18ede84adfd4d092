package dev.sandboxed.sandbox;

import dev.sandboxed.bpf.KernelCache;
import dev.sandboxed.bpf.Program;
import dev.sandboxed.bpf.SeccompCompiler;
import dev.sandboxed.bpf.Simulator;
import dev.sandboxed.bpf.Verifier;
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

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComplainFilterTest {

    private static final Arch ARCH = Arch.X86_64;
    private static final SyscallTable TABLE = SyscallTable.of(ARCH);
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;

    private final SeccompCompiler compiler = new SeccompCompiler();
    private final Policy policy = Policy.of(Action.errno(1), Map.of(ARCH, List.of(
            Rule.allow("read", "test"), Rule.allow("write", "test"), Rule.allow("openat", "test"),
            Rule.of("socket", Action.allow(), "test", Condition.of(0, Operator.EQ, AF_UNIX, Width.BITS32)),
            Rule.of("mount", Action.killProcess(), "test"))));
    private final Program enforced = compiler.compile(policy, ARCH, Map.of());

    @Test
    void everyRefusalBecomesAStopAndEveryAllowedCallAndDeliberateAnswerStaysAsItIs() {
        Program complain = ComplainFilter.of(policy, ARCH, false, compiler, Map.of());
        SeccompData[] calls = {
            call("read"), call("write"), call("openat"), call("socket", AF_UNIX), call("socket", AF_INET),
            call("mount"), call("ptrace"),
            new SeccompData(359, 0x40000003, 0, new long[6]),
            new SeccompData(0x40000000 | nr("socket"), ARCH.auditArch(), 0, new long[] {AF_INET, 0, 0, 0, 0, 0}),
            new SeccompData(5000, ARCH.auditArch(), 0, new long[6])};
        for (SeccompData call : calls) {
            Action enforcing = Simulator.run(enforced, call).action();
            Action complaining = Simulator.run(complain, call).action();
            boolean unchanged = enforcing.permits() || policy.isDeliberateAnswer(enforcing);
            assertEquals(unchanged ? enforcing : Action.trace(0), complaining, call.toString());
        }
        assertEquals(Action.errno(Policy.ENOSYS), Simulator.run(complain, calls[9]).action(),
                "a number above the table keeps its ENOSYS, so libc falls back as it would in production");
        assertEquals(Action.killProcess(), Simulator.run(enforced, calls[7]).action(), "the i386 ABI is killed");
        Verifier.verify(complain);
    }

    @Test
    void underLandlockTheCallsNamingFilesStopToo() {
        Program watching = ComplainFilter.of(policy, ARCH, true, compiler, Map.of());
        assertEquals(Action.trace(0), Simulator.run(watching, call("openat")).action());
        assertEquals(Action.trace(0), Simulator.run(watching, call("execve")).action(), "refused, so stopped anyway");
        assertEquals(Action.allow(), Simulator.run(watching, call("read")).action());
        assertTrue(KernelCache.cacheable(watching, ARCH).get(nr("read")), "allowed calls still skip the filter");
        assertFalse(KernelCache.cacheable(watching, ARCH).get(nr("openat")));
    }

    private static SeccompData call(String name, long... args) {
        return SeccompData.of(ARCH, nr(name), args);
    }

    private static int nr(String name) {
        return TABLE.number(name).orElseThrow();
    }
}
