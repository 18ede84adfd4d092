package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.syscall.SeccompData;

import java.util.Objects;

import static dev.sandboxed.bpf.Opcodes.*;

/**
 * Runs a classic BPF program over one {@link SeccompData} the way the kernel does, so that a compiled filter can be
 * checked against its policy on any input without installing it. It follows the kernel's arithmetic: 32-bit
 * unsigned values, shift amounts taken modulo 32, and a division or remainder by a zero X ending the program with
 * 0. It also runs instructions classic BPF knows but seccomp refuses (such as MOD), so that programs from other
 * tools can be studied; {@link Verifier} says whether the kernel would load a program.
 */
public final class Simulator {

    /** {@code sizeof(struct seccomp_data)}: what {@code BPF_LEN} loads. */
    public static final int DATA_SIZE = 64;

    /**
     * @param returnValue the 32-bit seccomp return value
     * @param executed how many instructions ran, the return included
     */
    public record Result(int returnValue, int executed) {

        public Action action() {
            return Action.fromSeccompReturn(returnValue);
        }
    }

    private Simulator() {
    }

    public static Result run(Program program, SeccompData data) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(data, "data");
        int a = 0;
        int x = 0;
        int[] memory = new int[MEMORY_WORDS];
        int executed = 0;
        int pc = 0;
        int length = program.length();
        while (true) {
            if (pc >= length) {
                throw new InvalidProgramException("execution ran past the last instruction (" + length
                        + " instructions); a program must end every path with a return");
            }
            Instruction insn = program.instruction(pc);
            executed++;
            int code = insn.code();
            int k = insn.k();
            int next = pc + 1;
            switch (instructionClass(code)) {
                case LD -> a = load(insn, pc, data, memory);
                case LDX -> x = loadIndex(insn, pc, memory);
                case ST -> memory[memoryIndex(insn, pc)] = a;
                case STX -> memory[memoryIndex(insn, pc)] = x;
                case ALU -> {
                    int operand = source(code) == X ? x : k;
                    int op = operation(code);
                    if ((op == DIV || op == MOD) && operand == 0) {
                        if (source(code) == K) {
                            throw invalid(pc, insn, "divides by the constant 0");
                        }
                        return new Result(0, executed);
                    }
                    a = alu(op, a, operand, pc, insn);
                }
                case JMP -> {
                    int op = operation(code);
                    if (op == JA) {
                        next = pc + 1 + k;
                        if (k < 0 || next >= length) {
                            throw invalid(pc, insn, "jumps past the end");
                        }
                    } else {
                        int operand = source(code) == X ? x : k;
                        boolean taken = switch (op) {
                            case JEQ -> a == operand;
                            case JGT -> Integer.compareUnsigned(a, operand) > 0;
                            case JGE -> Integer.compareUnsigned(a, operand) >= 0;
                            case JSET -> (a & operand) != 0;
                            default -> throw invalid(pc, insn, "is not a known jump");
                        };
                        next = pc + 1 + (taken ? insn.jt() : insn.jf());
                    }
                }
                case RET -> {
                    return switch (retSource(code)) {
                        case K -> new Result(k, executed);
                        case A -> new Result(a, executed);
                        default -> throw invalid(pc, insn, "returns neither k nor A");
                    };
                }
                case MISC -> {
                    switch (miscOperation(code)) {
                        case TAX -> x = a;
                        case TXA -> a = x;
                        default -> throw invalid(pc, insn, "is not a known MISC operation");
                    }
                }
                default -> throw invalid(pc, insn, "has an unknown class");
            }
            pc = next;
        }
    }

    private static int load(Instruction insn, int pc, SeccompData data, int[] memory) {
        int code = insn.code();
        if (size(code) != W && mode(code) != IMM && mode(code) != MEM && mode(code) != LEN) {
            throw invalid(pc, insn, "loads a byte or half-word, which seccomp refuses");
        }
        return switch (mode(code)) {
            case ABS -> word(data, insn.k(), pc, insn);
            case IMM -> insn.k();
            case MEM -> memory[memoryIndex(insn, pc)];
            case LEN -> DATA_SIZE;
            default -> throw invalid(pc, insn, "uses a load mode seccomp does not have");
        };
    }

    private static int loadIndex(Instruction insn, int pc, int[] memory) {
        return switch (mode(insn.code())) {
            case IMM -> insn.k();
            case MEM -> memory[memoryIndex(insn, pc)];
            case LEN -> DATA_SIZE;
            default -> throw invalid(pc, insn, "uses a load mode seccomp does not have");
        };
    }

    private static int alu(int op, int a, int operand, int pc, Instruction insn) {
        return switch (op) {
            case ADD -> a + operand;
            case SUB -> a - operand;
            case MUL -> a * operand;
            case DIV -> Integer.divideUnsigned(a, operand);
            case MOD -> Integer.remainderUnsigned(a, operand);
            case OR -> a | operand;
            case AND -> a & operand;
            case XOR -> a ^ operand;
            // Java masks int shift distances to 5 bits, as the kernel does for 32-bit shifts.
            case LSH -> a << operand;
            case RSH -> a >>> operand;
            case NEG -> -a;
            default -> throw invalid(pc, insn, "is not a known ALU operation");
        };
    }

    /** Reads {@code struct seccomp_data} at a byte offset: nr, arch, instruction_pointer, then six args, little-endian. */
    static int word(SeccompData data, int offset, int pc, Instruction insn) {
        if (offset < 0 || offset >= DATA_SIZE || (offset & 3) != 0) {
            throw invalid(pc, insn, "loads offset " + Integer.toUnsignedString(offset)
                    + ", which is not an aligned word inside seccomp_data");
        }
        if (offset == 0) {
            return data.nr();
        }
        if (offset == 4) {
            return data.arch();
        }
        long value = offset < 16 ? data.instructionPointer() : data.arg((offset - 16) / 8);
        return (offset & 4) == 0 ? (int) value : (int) (value >>> 32);
    }

    private static int memoryIndex(Instruction insn, int pc) {
        int k = insn.k();
        if (k < 0 || k >= MEMORY_WORDS) {
            throw invalid(pc, insn, "addresses M[" + Integer.toUnsignedString(k) + "], outside M[0..15]");
        }
        return k;
    }

    private static InvalidProgramException invalid(int pc, Instruction insn, String problem) {
        return new InvalidProgramException("instruction " + pc + " " + insn + " " + problem);
    }
}
