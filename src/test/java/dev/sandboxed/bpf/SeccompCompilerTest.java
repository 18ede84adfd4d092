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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sandboxed.bpf.Opcodes.JEQ;
import static dev.sandboxed.bpf.Opcodes.JMP;
import static dev.sandboxed.bpf.Opcodes.K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SeccompCompilerTest {

    private static final Policy ALLOW_OPEN = Policy.of(Action.errno(1),
            Map.of(Arch.X86_64, List.of(Rule.allow("openat", "")), Arch.AARCH64, List.of(Rule.allow("openat", ""))));

    @Test
    void checksTheArchitectureBeforeAnythingElse() {
        for (Map.Entry<Arch, Program> entry : new SeccompCompiler().compile(ALLOW_OPEN).entrySet()) {
            Program program = entry.getValue();
            assertEquals(Instruction.loadWord(4), program.instruction(0));
            Instruction check = program.instruction(1);
            assertEquals(JMP | JEQ | K, check.code());
            assertEquals(entry.getKey().auditArch(), check.k());
            assertEquals(Action.killProcess().seccompReturn(), program.instruction(2 + check.jf()).k());
            SeccompData compat = new SeccompData(257, entry.getKey().compatAuditArch(), 0, new long[6]);
            assertEquals(Action.killProcess(), Simulator.run(program, compat).action());
        }
    }

    @Test
    void killsX32ButNotMinusOneOnX86_64() {
        Program x86 = new SeccompCompiler().compile(ALLOW_OPEN).get(Arch.X86_64);
        int openat = SyscallTable.of(Arch.X86_64).number("openat").orElseThrow();
        assertEquals(Action.allow(), decide(x86, Arch.X86_64, openat));
        assertEquals(Action.killProcess(), decide(x86, Arch.X86_64, Arch.X32_SYSCALL_BIT | openat));
        assertEquals(Action.killProcess(), decide(x86, Arch.X86_64, 0xc0000000 | openat));
        assertEquals(Action.errno(Policy.ENOSYS), decide(x86, Arch.X86_64, -1));
        assertEquals(Action.errno(Policy.ENOSYS), decide(x86, Arch.X86_64, 0x80000000));
        Program arm = new SeccompCompiler().compile(ALLOW_OPEN).get(Arch.AARCH64);
        assertEquals(Action.errno(Policy.ENOSYS), decide(arm, Arch.AARCH64, Arch.X32_SYSCALL_BIT));
        assertEquals(Action.errno(Policy.ENOSYS), decide(arm, Arch.AARCH64, -1));
    }

    @Test
    void newerSyscallsGetEnosysAndGapsTheDefault() {
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        Program program = new SeccompCompiler().compile(ALLOW_OPEN).get(Arch.X86_64);
        assertEquals(Action.errno(Policy.ENOSYS), decide(program, Arch.X86_64, table.maxNumber() + 1));
        assertEquals(Action.errno(Policy.ENOSYS), decide(program, Arch.X86_64, 0x3fffffff));
        int gap = firstGap(table);
        assertEquals(Action.errno(1), decide(program, Arch.X86_64, gap));

        Policy permissive = Policy.of(Action.log(), Map.of(Arch.X86_64, List.of(Rule.of("openat", Action.killProcess(), ""))));
        Program logging = new SeccompCompiler().compile(permissive).get(Arch.X86_64);
        assertEquals(Action.log(), decide(logging, Arch.X86_64, table.maxNumber() + 1), "a permissive default stays");
        assertEquals(Action.log(), decide(logging, Arch.X86_64, -1));
        assertEquals(Action.killProcess(), decide(logging, Arch.X86_64, Arch.X32_SYSCALL_BIT + 1));
    }

    @Test
    void argumentRulesAreTriedMostRestrictiveFirst() {
        Policy policy = Policy.of(Action.errno(13), Map.of(Arch.X86_64, List.of(
                Rule.of("ioctl", Action.allow(), "", Condition.of(1, Operator.LE, 0x5410, Width.BITS32)),
                Rule.of("ioctl", Action.killProcess(), "", Condition.of(1, Operator.EQ, 0x5401, Width.BITS32)),
                Rule.of("ioctl", Action.errno(1), "", Condition.masked(0, 0xff00_0000_0000_0000L, 0x0100_0000_0000_0000L, Width.BITS64)))));
        Program program = new SeccompCompiler().compile(policy).get(Arch.X86_64);
        int ioctl = SyscallTable.of(Arch.X86_64).number("ioctl").orElseThrow();
        assertEquals(Action.killProcess(), run(program, ioctl, 0, 0x5401));
        assertEquals(Action.killProcess(), run(program, ioctl, 0, 0xdead_0000_5401L), "32-bit: high bits ignored");
        assertEquals(Action.errno(1), run(program, ioctl, 0x01ff_0000_0000_0000L, 0x5402));
        assertEquals(Action.allow(), run(program, ioctl, 0, 0x5402));
        assertEquals(Action.errno(13), run(program, ioctl, 0, 0x5411));
    }

    @Test
    void tooManyArgumentRulesFailWithAClearMessage() {
        List<Rule> rules = new ArrayList<>();
        int distinct = 0;
        for (String name : SyscallTable.of(Arch.X86_64).names()) {
            // Different constants per syscall, so that no two syscalls can share one block.
            for (int v = 0; v < 3; v++) {
                long value = 0x1_0000_0000L * (v + 2) + distinct++;
                rules.add(Rule.of(name, Action.allow(), "", Condition.of(v, Operator.GT, value, Width.BITS64)));
            }
        }
        Policy policy = Policy.of(Action.killProcess(), Map.of(Arch.X86_64, rules));
        ProgramTooLargeException e = assertThrows(ProgramTooLargeException.class, () -> new SeccompCompiler().compile(policy));
        assertTrue(e.length() > 4096);
        assertTrue(e.getMessage().contains("4096") && e.getMessage().contains("merge rules"), e.getMessage());
    }

    @Test
    void allow100MeetsTheAnchors() {
        assumeTrue(Files.isRegularFile(Corpus.allow100()), "no corpus at " + Corpus.allow100());
        Policy policy = Corpus.allow100Policy();
        Map<String, Long> weights = Corpus.allow100Weights();
        for (int slack = 0; slack <= 3; slack++) {
            PathAnalysis analysis = PathAnalysis.of(new SeccompCompiler(slack).compile(policy, Arch.X86_64, weights), Arch.X86_64);
            System.out.printf("allow-100 slack %d: length %d, worst %d (listed %d), weighted %.3f%n",
                    slack, analysis.length(), analysis.worst(), analysis.worst(weights.keySet()), analysis.weighted(weights));
        }
        PathAnalysis standard = PathAnalysis.of(new SeccompCompiler().compile(policy, Arch.X86_64, weights), Arch.X86_64);
        // kafel 11 / 7.9 and libseccomp OPTIMIZE=2 15 / 12.3: beaten on both counts.
        assertTrue(standard.worst() <= 11, "worst " + standard.worst());
        assertTrue(standard.weighted(weights) < 7.9, "weighted " + standard.weighted(weights));
        // minijail's frequency tree 36 / 5.93: beaten on both counts with one more level, epoll_wait cut out of the
        // epoll calls around it.
        PathAnalysis deep = PathAnalysis.of(new SeccompCompiler(2).compile(policy, Arch.X86_64, weights), Arch.X86_64);
        assertTrue(deep.worst() <= 12, "worst " + deep.worst());
        assertTrue(deep.weighted(weights) < 5.9, "weighted " + deep.weighted(weights));
        PathAnalysis shallow = PathAnalysis.of(new SeccompCompiler(0).compile(policy, Arch.X86_64, weights), Arch.X86_64);
        assertTrue(shallow.worst() <= 10, "worst " + shallow.worst());
    }

    @Test
    void aHotSyscallAmongAllowedNeighboursGetsAShortPathOfItsOwn() {
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        List<String> names = List.of("epoll_wait", "epoll_ctl", "tgkill", "utimes", "vserver", "mbind", "read", "mmap");
        Policy policy = Policy.of(Action.killProcess(), Map.of(Arch.X86_64,
                names.stream().map(name -> Rule.allow(name, "")).toList()));
        Map<String, Long> weights = Map.of("epoll_wait", 1000L, "read", 300L, "epoll_ctl", 1L, "mmap", 1L);
        Program program = new SeccompCompiler().compile(policy, Arch.X86_64, weights);
        PathAnalysis analysis = PathAnalysis.of(program, Arch.X86_64);
        int epollWait = table.number("epoll_wait").orElseThrow();
        for (String neighbour : List.of("epoll_ctl", "tgkill", "utimes")) {
            assertTrue(analysis.executed(epollWait) < analysis.executed(table.number(neighbour).orElseThrow()), neighbour);
        }
        for (int nr = 0; nr <= table.maxNumber() + 1; nr++) {
            assertEquals(policy.decide(SeccompData.of(Arch.X86_64, nr)), decide(program, Arch.X86_64, nr), "nr " + nr);
        }
    }

    private static int firstGap(SyscallTable table) {
        for (int nr = 0; nr < table.maxNumber(); nr++) {
            if (table.name(nr).isEmpty()) {
                return nr;
            }
        }
        throw new AssertionError("the x86_64 table has no gap");
    }

    private static Action decide(Program program, Arch arch, int nr) {
        return Simulator.run(program, SeccompData.of(arch, nr)).action();
    }

    private static Action run(Program program, int nr, long arg0, long arg1) {
        return Simulator.run(program, SeccompData.of(Arch.X86_64, nr, arg0, arg1)).action();
    }
}
