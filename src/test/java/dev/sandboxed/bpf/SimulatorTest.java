package dev.sandboxed.bpf;

import dev.sandboxed.syscall.SeccompData;
import org.junit.jupiter.api.Test;

import static dev.sandboxed.bpf.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SimulatorTest {

    private static final SeccompData DATA = new SeccompData(0x1234, 0xc000003e, 0x1122334455667788L,
            new long[] {0x0000000a_0000000bL, -1L, 0x80000000_00000001L, 3, 4, 0x55555555_aaaaaaaaL});

    @Test
    void loadsEveryFieldOfSeccompData() {
        assertEquals(0x1234, load(0));
        assertEquals(0xc000003e, load(4));
        assertEquals(0x55667788, load(8));
        assertEquals(0x11223344, load(12));
        assertEquals(0xb, load(16));
        assertEquals(0xa, load(20));
        assertEquals(-1, load(24));
        assertEquals(1, load(32));
        assertEquals(0x80000000, load(36));
        assertEquals(0xaaaaaaaa, load(56));
        assertEquals(0x55555555, load(60));
    }

    @Test
    void refusesLoadsOutsideOrBetweenWords() {
        assertThrows(InvalidProgramException.class, () -> load(64));
        assertThrows(InvalidProgramException.class, () -> load(2));
        assertThrows(InvalidProgramException.class, () -> load(-4));
    }

    @Test
    void computesLikeThe32BitKernelAlu() {
        assertEquals(7, alu(3, ADD, 4));
        assertEquals(-1, alu(3, SUB, 4));
        assertEquals(12, alu(3, MUL, 4));
        assertEquals(0x7fffffff, alu(-1, DIV, 2), "unsigned division");
        assertEquals(1, alu(-1, MOD, 2), "unsigned remainder");
        assertEquals(0x0f, alu(0xff, AND, 0x0f));
        assertEquals(0xff, alu(0xf0, OR, 0x0f));
        assertEquals(0xf0, alu(0xff, XOR, 0x0f));
        assertEquals(0x80000000, alu(1, LSH, 31));
        assertEquals(1, alu(0x80000000, RSH, 31), "logical shift");
        assertEquals(1, alu(1, LSH, 32), "shift by X is taken modulo 32");
        assertEquals(-5, run(Instruction.of(LD | IMM, 5), Instruction.of(ALU | NEG, 0), Instruction.of(RET | A, 0)).returnValue());
    }

    @Test
    void divisionByZeroXEndsTheProgramWithZero() {
        Simulator.Result result = run(
                Instruction.of(LD | IMM, 9),
                Instruction.of(LDX | IMM, 0),
                Instruction.of(ALU | DIV | X, 0),
                Instruction.ret(0x7fff0000));
        assertEquals(0, result.returnValue());
        assertEquals(3, result.executed());
        assertEquals(0, run(Instruction.of(LDX | IMM, 0), Instruction.of(ALU | MOD | X, 0), Instruction.ret(1)).returnValue());
    }

    @Test
    void jumpsCompareUnsignedWithKOrX() {
        assertEquals(1, branch(JGT | K, -1, 5), "0xffffffff > 5 unsigned");
        assertEquals(0, branch(JGT | K, 5, 5));
        assertEquals(1, branch(JGE | K, 5, 5));
        assertEquals(1, branch(JEQ | K, 5, 5));
        assertEquals(1, branch(JSET | K, 6, 2));
        assertEquals(0, branch(JSET | K, 6, 1));
        assertEquals(1, branch(JGT | X, -1, 5));
        assertEquals(1, branch(JEQ | X, 5, 5));
        assertEquals(0, branch(JSET | X, 6, 1));
        assertEquals(1, branch(JGE | X, 0x80000000, 0x7fffffff));
    }

    @Test
    void scratchMemoryAndRegisterMoves() {
        Simulator.Result result = run(
                Instruction.of(LD | IMM, 41),
                Instruction.of(ST, 3),
                Instruction.of(LD | IMM, 0),
                Instruction.of(LDX | MEM, 3),
                Instruction.of(MISC | TXA, 0),
                Instruction.alu(ADD, 1),
                Instruction.of(MISC | TAX, 0),
                Instruction.of(STX, 15),
                Instruction.of(LD | MEM, 15),
                Instruction.of(RET | A, 0));
        assertEquals(42, result.returnValue());
        assertEquals(10, result.executed());
        assertEquals(64, run(Instruction.of(LD | W | LEN, 0), Instruction.of(RET | A, 0)).returnValue());
        assertEquals(64, run(Instruction.of(LDX | W | LEN, 0), Instruction.of(MISC | TXA, 0), Instruction.of(RET | A, 0)).returnValue());
    }

    @Test
    void unconditionalJumpsSkipAndCount() {
        Simulator.Result result = run(Instruction.jumpAlways(1), Instruction.ret(1), Instruction.ret(2));
        assertEquals(2, result.returnValue());
        assertEquals(2, result.executed());
    }

    @Test
    void runningOffTheEndIsAnError() {
        assertThrows(InvalidProgramException.class, () -> run(Instruction.of(LD | IMM, 1)));
        assertThrows(InvalidProgramException.class, () -> run(Instruction.jumpAlways(5), Instruction.ret(0)));
    }

    private static int load(int offset) {
        return run(Instruction.loadWord(offset), Instruction.of(RET | A, 0)).returnValue();
    }

    private static int alu(int a, int operation, int operand) {
        int viaK = run(Instruction.of(LD | IMM, a), Instruction.alu(operation, operand), Instruction.of(RET | A, 0)).returnValue();
        int viaX = run(Instruction.of(LDX | IMM, operand), Instruction.of(LD | IMM, a),
                Instruction.of(ALU | operation | X, 0), Instruction.of(RET | A, 0)).returnValue();
        assertEquals(viaK, viaX, "k and X operands agree");
        return viaK;
    }

    /** Returns 1 when the jump is taken. */
    private static int branch(int jump, int a, int operand) {
        return run(Instruction.of(LDX | IMM, operand), Instruction.of(LD | IMM, a),
                new Instruction(JMP | jump, 1, 0, operand), Instruction.ret(0), Instruction.ret(1)).returnValue();
    }

    private static Simulator.Result run(Instruction... instructions) {
        return Simulator.run(Program.of(instructions), DATA);
    }
}
