package dev.sandboxed.ebpf;

import java.nio.ByteBuffer;

/**
 * One 8-byte eBPF instruction slot: opcode, destination and source register, signed 16-bit offset, signed
 * 32-bit immediate. A 64-bit immediate load takes two slots, the second with opcode 0.
 */
public record Instruction(int opcode, int dst, int src, short offset, int imm) {

    public Instruction {
        if (opcode < 0 || opcode > 0xff || dst < 0 || dst > 10 || src < 0 || src > 15) {
            throw new IllegalArgumentException("invalid instruction opcode 0x" + Integer.toHexString(opcode)
                    + " dst " + dst + " src " + src);
        }
    }

    /** Writes the slot in the buffer's byte order, which must be the machine's: registers share one byte. */
    void encode(ByteBuffer out) {
        out.put((byte) opcode);
        out.put((byte) (out.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? dst | src << 4 : src | dst << 4));
        out.putShort(offset);
        out.putInt(imm);
    }
}
