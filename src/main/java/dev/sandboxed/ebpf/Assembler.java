package dev.sandboxed.ebpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds an eBPF program one instruction at a time, with forward and backward jumps to {@link Label}s resolved
 * by {@link #assemble()}. It checks only what it can know (encodings, label use, jump reach); whether the
 * program is safe is the kernel verifier's call, whose log {@code Bpf.progLoad} reports.
 */
public final class Assembler {

    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int ALU = 0x04;
    private static final int JMP = 0x05;
    private static final int ALU64 = 0x07;
    private static final int MEM = 0x60;
    private static final int ATOMIC = 0xc0;
    private static final int IMM = 0x00;
    private static final int SRC_X = 0x08;
    private static final int CALL = 0x80;
    private static final int EXIT = 0x90;
    private static final int FETCH = 0x01;
    private static final int PSEUDO_MAP_FD = 1;

    private record Jump(int slot, Label target) {
    }

    private final List<Instruction> slots = new ArrayList<>();
    private final Map<Label, Integer> bound = new HashMap<>();
    private final List<Jump> jumps = new ArrayList<>();
    private int labels;

    public Label newLabel() {
        return new Label("L" + labels++);
    }

    /** Binds {@code label} to the next instruction. */
    public Assembler bind(Label label) {
        Objects.requireNonNull(label, "label");
        if (bound.putIfAbsent(label, slots.size()) != null) {
            throw new IllegalStateException("label " + label + " is bound twice");
        }
        return this;
    }

    private Assembler emit(int opcode, Register dst, Register src, int offset, int imm) {
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit 16 bits");
        }
        slots.add(new Instruction(opcode, dst.number(), src.number(), (short) offset, imm));
        return this;
    }

    /** {@code dst = src}, 64 bits. */
    public Assembler mov(Register dst, Register src) {
        return emit(ALU64 | AluOp.MOV.bits | SRC_X, dst, src, 0, 0);
    }

    /** {@code dst = imm}, the immediate sign-extended to 64 bits. */
    public Assembler mov(Register dst, int imm) {
        return emit(ALU64 | AluOp.MOV.bits, dst, Register.R0, 0, imm);
    }

    /** {@code dst = (u32) src}: the low half, zero-extended. */
    public Assembler mov32(Register dst, Register src) {
        return emit(ALU | AluOp.MOV.bits | SRC_X, dst, src, 0, 0);
    }

    /** {@code dst op= imm}, 64 bits. */
    public Assembler alu(AluOp op, Register dst, int imm) {
        return emit(ALU64 | op.bits, dst, Register.R0, 0, imm);
    }

    /** {@code dst op= src}, 64 bits. */
    public Assembler alu(AluOp op, Register dst, Register src) {
        return emit(ALU64 | op.bits | SRC_X, dst, src, 0, 0);
    }

    /** {@code dst = *(size *)(base + offset)}, zero-extended. */
    public Assembler load(Size size, Register dst, Register base, int offset) {
        return emit(LDX | MEM | size.bits, dst, base, offset, 0);
    }

    /** {@code *(size *)(base + offset) = src}. */
    public Assembler store(Size size, Register base, int offset, Register src) {
        return emit(STX | MEM | size.bits, base, src, offset, 0);
    }

    /** {@code *(size *)(base + offset) = imm}. */
    public Assembler store(Size size, Register base, int offset, int imm) {
        return emit(ST | MEM | size.bits, base, Register.R0, offset, imm);
    }

    /** {@code lock *(u64 *)(base + offset) += src}. */
    public Assembler atomicAdd(Register base, int offset, Register src) {
        return emit(STX | ATOMIC | Size.DOUBLE.bits, base, src, offset, AluOp.ADD.bits);
    }

    /** {@code src = atomic_fetch_add((u64 *)(base + offset), src)}: adds, and leaves the former value in src. */
    public Assembler atomicFetchAdd(Register base, int offset, Register src) {
        return emit(STX | ATOMIC | Size.DOUBLE.bits, base, src, offset, AluOp.ADD.bits | FETCH);
    }

    /** {@code dst = imm64}, two slots. */
    public Assembler loadImm64(Register dst, long imm) {
        emit(LD | IMM | Size.DOUBLE.bits, dst, Register.R0, 0, (int) imm);
        return emit(0, Register.R0, Register.R0, 0, (int) (imm >>> 32));
    }

    /** {@code dst = &map} for the map open as {@code mapFd}; the kernel swaps in the map's address at load. */
    public Assembler loadMap(Register dst, int mapFd) {
        emit(LD | IMM | Size.DOUBLE.bits, dst, Register.values()[PSEUDO_MAP_FD], 0, mapFd);
        return emit(0, Register.R0, Register.R0, 0, 0);
    }

    public Assembler call(Helper helper) {
        return emit(JMP | CALL, Register.R0, Register.R0, 0, helper.id());
    }

    public Assembler exit() {
        return emit(JMP | EXIT, Register.R0, Register.R0, 0, 0);
    }

    /** Unconditional jump. */
    public Assembler jump(Label target) {
        jumps.add(new Jump(slots.size(), Objects.requireNonNull(target, "target")));
        return emit(JMP, Register.R0, Register.R0, 0, 0);
    }

    /** Jumps when {@code dst op imm} (the immediate sign-extended to 64 bits). */
    public Assembler jump(JumpOp op, Register dst, int imm, Label target) {
        jumps.add(new Jump(slots.size(), Objects.requireNonNull(target, "target")));
        return emit(JMP | op.bits, dst, Register.R0, 0, imm);
    }

    /** Jumps when {@code dst op src}. */
    public Assembler jump(JumpOp op, Register dst, Register src, Label target) {
        jumps.add(new Jump(slots.size(), Objects.requireNonNull(target, "target")));
        return emit(JMP | op.bits | SRC_X, dst, src, 0, 0);
    }

    /** The number of slots so far. */
    public int size() {
        return slots.size();
    }

    /** The program in the machine's byte order, ready for {@code BPF_PROG_LOAD}. */
    public byte[] assemble() {
        List<Instruction> resolved = new ArrayList<>(slots);
        for (Jump jump : jumps) {
            Integer target = bound.get(jump.target());
            if (target == null) {
                throw new IllegalStateException("label " + jump.target() + " is used but never bound");
            }
            int offset = target - jump.slot() - 1;
            if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
                throw new IllegalStateException("jump to " + jump.target() + " spans " + offset + " slots, beyond 16 bits");
            }
            Instruction at = resolved.get(jump.slot());
            resolved.set(jump.slot(), new Instruction(at.opcode(), at.dst(), at.src(), (short) offset, at.imm()));
        }
        ByteBuffer out = ByteBuffer.allocate(resolved.size() * 8).order(ByteOrder.nativeOrder());
        resolved.forEach(instruction -> instruction.encode(out));
        return out.array();
    }
}
