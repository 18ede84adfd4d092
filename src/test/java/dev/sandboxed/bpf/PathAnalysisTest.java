package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathAnalysisTest {

    @Test
    void worstIsTheLongestPathOverAllNumbers() {
        Random random = new Random(5);
        RandomPolicies policies = new RandomPolicies(random);
        for (int p = 0; p < 20; p++) {
            Policy policy = policies.next();
            for (Map.Entry<Arch, Program> entry : new SeccompCompiler().compile(policy).entrySet()) {
                PathAnalysis analysis = PathAnalysis.of(entry.getValue(), entry.getKey());
                int longest = 0;
                for (int i = 0; i < 20_000; i++) {
                    int nr = i < 4096 ? i : random.nextInt();
                    longest = Math.max(longest, Simulator.run(entry.getValue(), SeccompData.of(entry.getKey(), nr)).executed());
                }
                assertTrue(analysis.worst() >= longest, analysis.worst() + " < " + longest);
                assertEquals(analysis.worst(), analysis.executed((int) analysis.worstNumber()));
                assertEquals(entry.getValue().length(), analysis.length());
            }
        }
    }

    @Test
    void worstOverListedSyscallsLeavesDeniedNumbersOut() {
        Policy policy = Policy.of(Action.killProcess(), Map.of(Arch.X86_64,
                List.of(Rule.allow("read", ""), Rule.allow("futex", ""), Rule.allow("getpid", ""))));
        Program program = new SeccompCompiler().compile(policy).get(Arch.X86_64);
        PathAnalysis analysis = PathAnalysis.of(program, Arch.X86_64);
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        List<String> listed = List.of("read", "futex", "getpid", "no_such_call");
        int expected = listed.stream().filter(table::contains)
                .mapToInt(name -> analysis.executed(table.number(name).orElseThrow())).max().orElseThrow();
        assertEquals(expected, analysis.worst(listed));
        assertTrue(analysis.worst(listed) <= analysis.worst());
        assertEquals(analysis.executed(table.number("read").orElseThrow()), analysis.worst(List.of("read")));
        assertThrows(IllegalArgumentException.class, () -> analysis.worst(List.of("no_such_call")));
    }

    @Test
    void weightedIsTheFrequencyWeightedMean() {
        Policy policy = Policy.of(Action.killProcess(), Map.of(Arch.X86_64,
                List.of(Rule.allow("read", ""), Rule.allow("futex", ""), Rule.allow("getpid", ""))));
        Program program = new SeccompCompiler().compile(policy).get(Arch.X86_64);
        PathAnalysis analysis = PathAnalysis.of(program, Arch.X86_64);
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        int read = analysis.executed(table.number("read").orElseThrow());
        int futex = analysis.executed(table.number("futex").orElseThrow());
        double expected = (3.0 * read + futex) / 4;
        assertEquals(expected, analysis.weighted(Map.of("read", 3L, "futex", 1L, "no_such_call", 9L, "getpid", 0L)), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> analysis.weighted(Map.of("no_such_call", 1L)));
    }
}
