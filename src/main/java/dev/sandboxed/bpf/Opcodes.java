package dev.sandboxed.bpf;

/**
 * The classic BPF opcode fields ({@code linux/filter.h}, {@code linux/bpf_common.h}). An instruction's code is the
 * OR of a class, and for loads a size and mode, for ALU and jumps an operation and a source.
 */
public final class Opcodes {

    // Classes.
    public static final int LD = 0x00;
    public static final int LDX = 0x01;
    public static final int ST = 0x02;
    public static final int STX = 0x03;
    public static final int ALU = 0x04;
    public static final int JMP = 0x05;
    public static final int RET = 0x06;
    public static final int MISC = 0x07;

    // Load sizes; seccomp only accepts words.
    public static final int W = 0x00;
    public static final int H = 0x08;
    public static final int B = 0x10;

    // Load modes.
    public static final int IMM = 0x00;
    public static final int ABS = 0x20;
    public static final int IND = 0x40;
    public static final int MEM = 0x60;
    public static final int LEN = 0x80;
    public static final int MSH = 0xa0;

    // ALU operations.
    public static final int ADD = 0x00;
    public static final int SUB = 0x10;
    public static final int MUL = 0x20;
    public static final int DIV = 0x30;
    public static final int OR = 0x40;
    public static final int AND = 0x50;
    public static final int LSH = 0x60;
    public static final int RSH = 0x70;
    public static final int NEG = 0x80;
    public static final int MOD = 0x90;
    public static final int XOR = 0xa0;

    // Jump operations.
    public static final int JA = 0x00;
    public static final int JEQ = 0x10;
    public static final int JGT = 0x20;
    public static final int JGE = 0x30;
    public static final int JSET = 0x40;

    // Operand sources: the constant k or the index register X; for RET, k or the accumulator A.
    public static final int K = 0x00;
    public static final int X = 0x08;
    public static final int A = 0x10;

    // MISC operations.
    public static final int TAX = 0x00;
    public static final int TXA = 0x80;

    /** BPF_MAXINSNS: the kernel refuses longer programs. */
    public static final int MAX_INSTRUCTIONS = 4096;

    /** BPF_MEMWORDS: the size of the scratch memory M[]. */
    public static final int MEMORY_WORDS = 16;

    /** The farthest a conditional jump reaches: its offsets are unsigned bytes. */
    public static final int MAX_CONDITIONAL_OFFSET = 255;

    private Opcodes() {
    }

    public static int instructionClass(int code) {
        return code & 0x07;
    }

    public static int size(int code) {
        return code & 0x18;
    }

    public static int mode(int code) {
        return code & 0xe0;
    }

    public static int operation(int code) {
        return code & 0xf0;
    }

    public static int source(int code) {
        return code & 0x08;
    }

    public static int retSource(int code) {
        return code & 0x18;
    }

    public static int miscOperation(int code) {
        return code & 0xf8;
    }

    /** True for JEQ, JGT, JGE and JSET, whose two offsets are the one-byte jt and jf. */
    public static boolean isConditionalJump(int code) {
        return instructionClass(code) == JMP && operation(code) != JA;
    }
}
