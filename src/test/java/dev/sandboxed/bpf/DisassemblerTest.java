package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sandboxed.bpf.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DisassemblerTest {

    @Test
    void listsAHandWrittenFilter() {
        int read = SyscallTable.of(Arch.X86_64).number("read").orElseThrow();
        assertEquals(0, read);
        Program program = Program.of(
                Instruction.loadWord(4),
                Instruction.jump(JEQ, Arch.X86_64.auditArch(), 0, 4),
                Instruction.loadWord(0),
                Instruction.jump(JEQ, read, 1, 0),
                Instruction.ret(Action.errno(1).seccompReturn()),
                Instruction.ret(Action.allow().seccompReturn()),
                Instruction.ret(Action.killProcess().seccompReturn()));
        String expected = String.join("\n",
                "0000  ld    [4]                    ; arch",
                "0001  jeq   #0xc000003e (x86_64)       jt L0002  jf L0006",
                "L0002:",
                "0002  ld    [0]                    ; nr",
                "0003  jeq   #0 (read)                  jt L0005  jf L0004",
                "L0004:",
                "0004  ret   ERRNO(1)",
                "L0005:",
                "0005  ret   ALLOW",
                "L0006:",
                "0006  ret   KILL_PROCESS",
                "");
        assertEquals(expected, Disassembler.listing(program, Arch.X86_64));
    }

    @Test
    void namesArgumentWordsAndEveryInstructionKind() {
        Policy policy = Policy.of(Action.trap(), Map.of(Arch.AARCH64, List.of(
                Rule.of("openat", Action.trace(7), "", Condition.of(2, Operator.GT, 0x1_0000_0000L, Width.BITS64)),
                Rule.of("openat", Action.allow(), ""))));
        String listing = Disassembler.listing(new SeccompCompiler().compile(policy).get(Arch.AARCH64), Arch.AARCH64);
        assertTrue(listing.contains("(aarch64)"), listing);
        assertTrue(listing.contains("(openat)"), listing);
        assertTrue(listing.contains("; args[2] high"), listing);
        assertTrue(listing.contains("; args[2] low"), listing);
        assertTrue(listing.contains("ret   TRACE(7)"), listing);
        assertTrue(listing.contains("ret   TRAP"), listing);
        assertEquals(listing, Disassembler.listing(new SeccompCompiler().compile(policy).get(Arch.AARCH64), Arch.AARCH64));

        String misc = Disassembler.listing(Program.of(
                Instruction.of(LD | IMM, 5), Instruction.of(ST, 1), Instruction.of(LDX | MEM, 1), Instruction.of(MISC | TXA, 0),
                Instruction.alu(LSH, 2), Instruction.of(ALU | NEG, 0), Instruction.of(ALU | ADD | X, 0),
                Instruction.jumpAlways(0), Instruction.of(RET | A, 0)), Arch.X86_64);
        for (String expected : List.of("ld    #0x5", "st    M[1]", "ldx   M[1]", "txa", "lsh   #0x2", "neg", "add   x",
                "ja    L0008", "ret   a")) {
            assertTrue(misc.contains(expected), expected + " in\n" + misc);
        }
    }
}
