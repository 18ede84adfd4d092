package dev.sandboxed.ebpf;

/** Conditional jumps, with their opcode bits; {@code S} variants compare signed. */
public enum JumpOp {
    JEQ(0x10), JGT(0x20), JGE(0x30), JSET(0x40), JNE(0x50), JSGT(0x60), JSGE(0x70), JLT(0xa0), JLE(0xb0), JSLT(0xc0),
    JSLE(0xd0);

    final int bits;

    JumpOp(int bits) {
        this.bits = bits;
    }
}
