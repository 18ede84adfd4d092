package dev.sandboxed.bpf;

import org.junit.jupiter.api.Test;

import static dev.sandboxed.bpf.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifierTest {

    @Test
    void acceptsWhatSeccompAccepts() {
        assertDoesNotThrow(() -> Verifier.verify(Program.of(
                Instruction.loadWord(60),
                Instruction.of(ST, 0),
                Instruction.jump(JEQ, 1, 0, 1),
                Instruction.of(LD | MEM, 0),
                Instruction.alu(RSH, 31),
                Instruction.of(RET | A, 0))));
    }

    @Test
    void namesTheInstructionTheKernelWouldRefuse() {
        refused("opcode", Instruction.alu(MOD, 3), Instruction.ret(0));
        refused("opcode", Instruction.of(LD | B | ABS, 0), Instruction.ret(0));
        refused("aligned", Instruction.loadWord(2), Instruction.ret(0));
        refused("aligned", Instruction.loadWord(64), Instruction.ret(0));
        refused("constant 0", Instruction.alu(DIV, 0), Instruction.ret(0));
        refused("below 32", Instruction.alu(LSH, 32), Instruction.ret(0));
        refused("M[16]", Instruction.of(ST, 16), Instruction.ret(0));
        refused("past the end", Instruction.jump(JEQ, 0, 1, 0), Instruction.ret(0));
        refused("past the end", Instruction.jumpAlways(1), Instruction.ret(0));
        refused("not a return", Instruction.ret(0), Instruction.loadWord(0));
        refused("before every path", Instruction.loadWord(0), Instruction.jump(JEQ, 1, 0, 1),
                Instruction.of(ST, 2), Instruction.of(LD | MEM, 2), Instruction.ret(0));
    }

    private static void refused(String reason, Instruction... instructions) {
        InvalidProgramException e = assertThrows(InvalidProgramException.class,
                () -> Verifier.verify(Program.of(instructions)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains("instruction "), e.getMessage());
    }
}
