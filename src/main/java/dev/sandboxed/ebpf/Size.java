package dev.sandboxed.ebpf;

/** The width of a memory access, with its opcode bits. */
public enum Size {
    WORD(0x00, 4), HALF(0x08, 2), BYTE(0x10, 1), DOUBLE(0x18, 8);

    final int bits;
    private final int bytes;

    Size(int bits, int bytes) {
        this.bits = bits;
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
