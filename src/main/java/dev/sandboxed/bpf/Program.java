package dev.sandboxed.bpf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A classic BPF program: the exact instruction array handed to {@code prctl(PR_SET_SECCOMP)} or to
 * {@code bwrap --seccomp}. Its length is always one the kernel accepts; {@link Verifier} checks the rest.
 */
public final class Program {

    private final List<Instruction> instructions;

    private Program(List<Instruction> instructions) {
        this.instructions = instructions;
    }

    public static Program of(List<Instruction> instructions) {
        Objects.requireNonNull(instructions, "instructions");
        List<Instruction> copy = List.copyOf(instructions);
        if (copy.isEmpty()) {
            throw new InvalidProgramException("a BPF program needs at least one instruction");
        }
        if (copy.size() > Opcodes.MAX_INSTRUCTIONS) {
            throw new ProgramTooLargeException(copy.size(), Opcodes.MAX_INSTRUCTIONS);
        }
        return new Program(copy);
    }

    public static Program of(Instruction... instructions) {
        return of(List.of(instructions));
    }

    /** Reads the raw form written by {@link #toBytes()}, {@code seccomp_export_bpf} or any other exporter. */
    public static Program fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length % Instruction.SIZE != 0) {
            throw new InvalidProgramException("a BPF program is a whole number of 8-byte instructions, got "
                    + bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Instruction> list = new ArrayList<>(bytes.length / Instruction.SIZE);
        while (in.hasRemaining()) {
            list.add(Instruction.decode(in));
        }
        return of(list);
    }

    /** The array of {@code struct sock_filter}, little-endian, as the kernel reads it. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(instructions.size() * Instruction.SIZE);
        for (Instruction instruction : instructions) {
            instruction.encode(out);
        }
        return out.array();
    }

    public int length() {
        return instructions.size();
    }

    public Instruction instruction(int index) {
        return instructions.get(index);
    }

    public List<Instruction> instructions() {
        return instructions;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Program that && instructions.equals(that.instructions);
    }

    @Override
    public int hashCode() {
        return instructions.hashCode();
    }

    @Override
    public String toString() {
        return "Program[" + instructions.size() + " instructions]";
    }
}
