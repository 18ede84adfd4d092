package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import static dev.sandboxed.bpf.Opcodes.*;

/**
 * A readable listing of a seccomp program: numbered lines, {@code Lnnnn} labels on jump targets, syscall names
 * beside numbers compared with {@code nr}, architecture names beside {@code arch}, and actions for returns.
 * Reviewers read it next to the policy, so it must be the same for the same program.
 */
public final class Disassembler {

    private static final int UNKNOWN = -1;
    private static final int UNREACHED = -2;

    private Disassembler() {
    }

    public static String listing(Program program, Arch arch) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(arch, "arch");
        int length = program.length();
        int[] accumulator = accumulatorContents(program);
        boolean[] target = new boolean[length];
        for (int pc = 0; pc < length; pc++) {
            Instruction insn = program.instruction(pc);
            if (insn.isConditionalJump()) {
                mark(target, pc + 1L + insn.jt());
                mark(target, pc + 1L + insn.jf());
            } else if (insn.code() == (JMP | JA)) {
                mark(target, pc + 1L + Integer.toUnsignedLong(insn.k()));
            }
        }
        SyscallTable table = SyscallTable.of(arch);
        StringBuilder out = new StringBuilder();
        for (int pc = 0; pc < length; pc++) {
            if (target[pc]) {
                out.append(label(pc)).append(":\n");
            }
            out.append(String.format(Locale.ROOT, "%04d  %s%n", pc,
                    line(program.instruction(pc), pc, accumulator[pc], table).stripTrailing()));
        }
        return out.toString();
    }

    private static void mark(boolean[] target, long index) {
        if (index < target.length) {
            target[(int) index] = true;
        }
    }

    /** What A holds before each instruction: a seccomp_data offset, or UNKNOWN when paths disagree. */
    private static int[] accumulatorContents(Program program) {
        int length = program.length();
        int[] before = new int[length];
        Arrays.fill(before, UNREACHED);
        before[0] = UNKNOWN;
        for (int pc = 0; pc < length; pc++) {
            int state = before[pc] == UNREACHED ? UNKNOWN : before[pc];
            Instruction insn = program.instruction(pc);
            int code = insn.code();
            int after = switch (instructionClass(code)) {
                case LD -> code == (LD | W | ABS) ? insn.k() : UNKNOWN;
                case ALU -> UNKNOWN;
                case MISC -> miscOperation(code) == TXA ? UNKNOWN : state;
                default -> state;
            };
            if (insn.isConditionalJump()) {
                flow(before, pc + 1 + insn.jt(), after);
                flow(before, pc + 1 + insn.jf(), after);
            } else if (code == (JMP | JA)) {
                flow(before, pc + 1L + Integer.toUnsignedLong(insn.k()), after);
            } else if (!insn.isReturn()) {
                flow(before, pc + 1, after);
            }
        }
        return before;
    }

    private static void flow(int[] before, long to, int state) {
        if (to >= before.length) {
            return;
        }
        int at = (int) to;
        before[at] = before[at] == UNREACHED || before[at] == state ? state : UNKNOWN;
    }

    private static String line(Instruction insn, int pc, int accumulator, SyscallTable table) {
        int code = insn.code();
        int k = insn.k();
        return switch (instructionClass(code)) {
            case LD -> switch (mode(code)) {
                case ABS -> String.format(Locale.ROOT, "%-5s [%d]%-20s; %s", "ld", k, "", field(k));
                case IMM -> "ld    #" + hex(k);
                case MEM -> "ld    M[" + k + "]";
                case LEN -> "ld    #len";
                default -> unknown(insn);
            };
            case LDX -> switch (mode(code)) {
                case IMM -> "ldx   #" + hex(k);
                case MEM -> "ldx   M[" + k + "]";
                case LEN -> "ldx   #len";
                default -> unknown(insn);
            };
            case ST -> "st    M[" + k + "]";
            case STX -> "stx   M[" + k + "]";
            case ALU -> operation(code) == NEG
                    ? "neg"
                    : String.format(Locale.ROOT, "%-5s %s", aluName(operation(code)), source(code) == X ? "x" : "#" + hex(k));
            case JMP -> operation(code) == JA
                    ? "ja    " + label(pc + 1L + Integer.toUnsignedLong(k))
                    : jump(insn, pc, accumulator, table);
            case RET -> retSource(code) == A ? "ret   a" : "ret   " + action(k);
            case MISC -> miscOperation(code) == TAX ? "tax" : miscOperation(code) == TXA ? "txa" : unknown(insn);
            default -> unknown(insn);
        };
    }

    private static String jump(Instruction insn, int pc, int accumulator, SyscallTable table) {
        int code = insn.code();
        String name = switch (operation(code)) {
            case JEQ -> "jeq";
            case JGT -> "jgt";
            case JGE -> "jge";
            case JSET -> "jset";
            default -> "j?";
        };
        String operand;
        if (source(code) == X) {
            operand = "x";
        } else if (accumulator == 0 && operation(code) != JSET) {
            operand = "#" + Integer.toUnsignedString(insn.k())
                    + table.name(insn.k()).map(syscall -> " (" + syscall + ")").orElse("");
        } else if (accumulator == 4) {
            operand = "#" + hex(insn.k()) + archName(insn.k());
        } else {
            operand = "#" + hex(insn.k());
        }
        return String.format(Locale.ROOT, "%-5s %-26s jt %s  jf %s", name, operand,
                label(pc + 1 + insn.jt()), label(pc + 1 + insn.jf()));
    }

    private static String archName(int auditArch) {
        for (Arch arch : Arch.values()) {
            if (arch.auditArch() == auditArch) {
                return " (" + arch.id() + ")";
            }
            if (arch.compatAuditArch() == auditArch) {
                return " (32-bit " + arch.id() + ")";
            }
        }
        return "";
    }

    private static String field(int offset) {
        if (offset == 0) {
            return "nr";
        }
        if (offset == 4) {
            return "arch";
        }
        String half = (offset & 4) == 0 ? " low" : " high";
        if (offset < 16) {
            return "instruction_pointer" + half;
        }
        return offset < Simulator.DATA_SIZE ? "args[" + (offset - 16) / 8 + "]" + half : "outside seccomp_data";
    }

    private static String action(int value) {
        Action action = Action.fromSeccompReturn(value);
        if (action.seccompReturn() != value) {
            return "#" + hex(value);
        }
        String kind = action.kind().name();
        return switch (action.kind()) {
            case ERRNO, TRACE -> kind + "(" + action.data() + ")";
            default -> kind;
        };
    }

    private static String aluName(int operation) {
        return switch (operation) {
            case ADD -> "add";
            case SUB -> "sub";
            case MUL -> "mul";
            case DIV -> "div";
            case MOD -> "mod";
            case AND -> "and";
            case OR -> "or";
            case XOR -> "xor";
            case LSH -> "lsh";
            case RSH -> "rsh";
            default -> "alu?";
        };
    }

    private static String unknown(Instruction insn) {
        return ".insn " + insn;
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }

    private static String label(long target) {
        return String.format(Locale.ROOT, "L%04d", target);
    }
}
