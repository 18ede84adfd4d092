package dev.sandboxed.bpf;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

import static dev.sandboxed.bpf.Opcodes.*;

/**
 * The checks the kernel makes before it installs a seccomp filter ({@code bpf_check_classic},
 * {@code check_load_and_stores} and {@code seccomp_check_filter}). The kernel answers a failure with a bare
 * EINVAL; this names the instruction and the rule it breaks.
 */
public final class Verifier {

    /** The opcodes {@code seccomp_check_filter} lets through; classic BPF knows more (MOD, byte loads, ...). */
    private static final Set<Integer> SECCOMP_CODES = Set.of(
            LD | W | ABS, LD | W | LEN, LDX | W | LEN,
            RET | K, RET | A,
            ALU | ADD | K, ALU | ADD | X, ALU | SUB | K, ALU | SUB | X,
            ALU | MUL | K, ALU | MUL | X, ALU | DIV | K, ALU | DIV | X,
            ALU | AND | K, ALU | AND | X, ALU | OR | K, ALU | OR | X,
            ALU | XOR | K, ALU | XOR | X, ALU | LSH | K, ALU | LSH | X,
            ALU | RSH | K, ALU | RSH | X, ALU | NEG,
            LD | IMM, LDX | IMM, MISC | TAX, MISC | TXA,
            LD | MEM, LDX | MEM, ST, STX,
            JMP | JA,
            JMP | JEQ | K, JMP | JEQ | X, JMP | JGE | K, JMP | JGE | X,
            JMP | JGT | K, JMP | JGT | X, JMP | JSET | K, JMP | JSET | X);

    private Verifier() {
    }

    /** Throws {@link InvalidProgramException} naming the first instruction the kernel would refuse. */
    public static void verify(Program program) {
        Objects.requireNonNull(program, "program");
        int length = program.length();
        for (int pc = 0; pc < length; pc++) {
            Instruction insn = program.instruction(pc);
            int code = insn.code();
            long k = Integer.toUnsignedLong(insn.k());
            if (!SECCOMP_CODES.contains(code)) {
                throw refuse(pc, insn, "uses an opcode seccomp does not accept");
            }
            if (code == (ALU | DIV | K) && k == 0) {
                throw refuse(pc, insn, "divides by the constant 0");
            }
            if ((code == (ALU | LSH | K) || code == (ALU | RSH | K)) && k >= 32) {
                throw refuse(pc, insn, "shifts by " + k + "; constant shifts must be below 32");
            }
            if ((code == (LD | MEM) || code == (LDX | MEM) || code == ST || code == STX) && k >= MEMORY_WORDS) {
                throw refuse(pc, insn, "addresses M[" + k + "], outside M[0..15]");
            }
            if (code == (LD | W | ABS) && (k >= Simulator.DATA_SIZE || (k & 3) != 0)) {
                throw refuse(pc, insn, "loads offset " + k + ", which is not an aligned word inside seccomp_data");
            }
            if (code == (JMP | JA) && k >= length - pc - 1) {
                throw refuse(pc, insn, "jumps past the end");
            }
            if (insn.isConditionalJump() && (pc + insn.jt() + 1 >= length || pc + insn.jf() + 1 >= length)) {
                throw refuse(pc, insn, "jumps past the end");
            }
        }
        if (!program.instruction(length - 1).isReturn()) {
            throw refuse(length - 1, program.instruction(length - 1), "is last but is not a return");
        }
        checkLoadsAfterStores(program);
    }

    /** Every read of M[i] must follow a write of M[i] on all paths, as the kernel insists. */
    private static void checkLoadsAfterStores(Program program) {
        int length = program.length();
        int[] masks = new int[length];
        Arrays.fill(masks, 0xffff);
        int valid = 0;
        for (int pc = 0; pc < length; pc++) {
            Instruction insn = program.instruction(pc);
            valid &= masks[pc];
            int code = insn.code();
            if (code == ST || code == STX) {
                valid |= 1 << insn.k();
            } else if (code == (LD | MEM) || code == (LDX | MEM)) {
                if ((valid & (1 << insn.k())) == 0) {
                    throw refuse(pc, insn, "reads M[" + insn.k() + "] before every path has written it");
                }
            } else if (code == (JMP | JA)) {
                masks[pc + 1 + insn.k()] &= valid;
                valid = 0xffff;
            } else if (insn.isConditionalJump()) {
                masks[pc + 1 + insn.jt()] &= valid;
                masks[pc + 1 + insn.jf()] &= valid;
                valid = 0xffff;
            }
        }
    }

    private static InvalidProgramException refuse(int pc, Instruction insn, String problem) {
        return new InvalidProgramException("the kernel would refuse this program: instruction " + pc + " " + insn
                + " " + problem);
    }
}
