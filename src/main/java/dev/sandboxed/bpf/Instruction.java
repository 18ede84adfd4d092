package dev.sandboxed.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.sandboxed.bpf.Opcodes.ABS;
import static dev.sandboxed.bpf.Opcodes.ALU;
import static dev.sandboxed.bpf.Opcodes.JA;
import static dev.sandboxed.bpf.Opcodes.JMP;
import static dev.sandboxed.bpf.Opcodes.K;
import static dev.sandboxed.bpf.Opcodes.LD;
import static dev.sandboxed.bpf.Opcodes.RET;
import static dev.sandboxed.bpf.Opcodes.W;

/**
 * One classic BPF instruction, {@code struct sock_filter}: what the kernel loads, eight bytes each.
 *
 * @param code the opcode, an unsigned 16-bit value
 * @param jt how many instructions a conditional jump skips when its test holds, 0 to 255
 * @param jf how many it skips when the test fails, 0 to 255
 * @param k the constant operand; 32 raw bits, read as unsigned wherever the kernel compares or shifts
 */
public record Instruction(int code, int jt, int jf, int k) {

    /** Bytes per encoded instruction. */
    public static final int SIZE = 8;

    public Instruction {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("code 0x" + Integer.toHexString(code) + " does not fit in 16 bits");
        }
        if (jt < 0 || jt > Opcodes.MAX_CONDITIONAL_OFFSET) {
            throw new IllegalArgumentException("jt " + jt + " is out of range: a conditional jump skips 0 to 255 instructions");
        }
        if (jf < 0 || jf > Opcodes.MAX_CONDITIONAL_OFFSET) {
            throw new IllegalArgumentException("jf " + jf + " is out of range: a conditional jump skips 0 to 255 instructions");
        }
    }

    public static Instruction of(int code, int k) {
        return new Instruction(code, 0, 0, k);
    }

    /** {@code A = seccomp_data[offset]}, a 32-bit word. */
    public static Instruction loadWord(int offset) {
        return of(LD | W | ABS, offset);
    }

    /** A conditional jump comparing A with the constant {@code k}; {@code operation} is JEQ, JGT, JGE or JSET. */
    public static Instruction jump(int operation, int k, int jt, int jf) {
        return new Instruction(JMP | operation | K, jt, jf, k);
    }

    /** An unconditional jump over {@code offset} instructions; unlike conditional jumps it reaches anywhere. */
    public static Instruction jumpAlways(int offset) {
        return of(JMP | JA, offset);
    }

    /** {@code A = A op k}. */
    public static Instruction alu(int operation, int k) {
        return of(ALU | operation | K, k);
    }

    /** Ends the program with a fixed seccomp return value. */
    public static Instruction ret(int value) {
        return of(RET | K, value);
    }

    public boolean isConditionalJump() {
        return Opcodes.isConditionalJump(code);
    }

    public boolean isReturn() {
        return Opcodes.instructionClass(code) == RET;
    }

    /** Writes {@code struct sock_filter} in the machine's layout; every architecture we target is little-endian. */
    void encode(ByteBuffer out) {
        out.order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) code)
                .put((byte) jt)
                .put((byte) jf)
                .putInt(k);
    }

    static Instruction decode(ByteBuffer in) {
        in.order(ByteOrder.LITTLE_ENDIAN);
        int code = Short.toUnsignedInt(in.getShort());
        int jt = Byte.toUnsignedInt(in.get());
        int jf = Byte.toUnsignedInt(in.get());
        int k = in.getInt();
        return new Instruction(code, jt, jf, k);
    }

    @Override
    public String toString() {
        return String.format("{ 0x%02x, %d, %d, 0x%08x }", code, jt, jf, k);
    }
}
