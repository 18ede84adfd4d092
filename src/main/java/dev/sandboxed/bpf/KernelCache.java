package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.BitSet;
import java.util.Objects;

import static dev.sandboxed.bpf.Opcodes.*;

/**
 * Which syscalls a kernel from 5.11 on lets through without running the filter. When a filter is installed the
 * kernel ({@code seccomp_cache_prepare}) emulates it once per syscall number with only {@code nr} and
 * {@code arch} known; if that run reaches {@code RET ALLOW} using nothing but loads of those two fields, constant
 * jumps and {@code AND}, the number is marked always-allowed and later calls skip the filter. Anything else on the
 * path (an argument load, an X operand, arithmetic other than AND, another return value) makes the number
 * uncacheable. This replays the same emulation, so a compiler change that loses the cache shows up in tests.
 */
public final class KernelCache {

    private KernelCache() {
    }

    /** The numbers from 0 to the table's highest that the kernel would cache as always allowed for this ABI. */
    public static BitSet cacheable(Program program, Arch arch) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(arch, "arch");
        int count = SyscallTable.of(arch).maxNumber() + 1;
        BitSet allowed = new BitSet(count);
        for (int nr = 0; nr < count; nr++) {
            if (constantAllow(program, nr, arch.auditArch())) {
                allowed.set(nr);
            }
        }
        return allowed;
    }

    /** The kernel's {@code seccomp_is_const_allow}, instruction for instruction. */
    static boolean constantAllow(Program program, int nr, int auditArch) {
        int register = 0;
        for (int pc = 0; pc < program.length(); pc++) {
            Instruction insn = program.instruction(pc);
            int k = insn.k();
            int code = insn.code();
            if (code == (LD | W | ABS)) {
                if (k == 0) {
                    register = nr;
                } else if (k == 4) {
                    register = auditArch;
                } else {
                    return false;
                }
            } else if (code == (RET | K)) {
                return k == Action.allow().seccompReturn();
            } else if (code == (JMP | JA)) {
                pc += k;
            } else if (code == (JMP | JEQ | K) || code == (JMP | JGE | K) || code == (JMP | JGT | K)
                    || code == (JMP | JSET | K)) {
                boolean taken = switch (operation(code)) {
                    case JEQ -> register == k;
                    case JGE -> Integer.compareUnsigned(register, k) >= 0;
                    case JGT -> Integer.compareUnsigned(register, k) > 0;
                    default -> (register & k) != 0;
                };
                pc += taken ? insn.jt() : insn.jf();
            } else if (code == (ALU | AND | K)) {
                register &= k;
            } else {
                return false;
            }
        }
        return false;
    }
}
