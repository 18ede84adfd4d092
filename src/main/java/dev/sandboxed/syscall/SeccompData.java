package dev.sandboxed.syscall;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the kernel shows a seccomp filter about one system call: {@code struct seccomp_data}. Both the policy
 * model and the BPF simulator decide over this one type, so that a compiled program can be checked against the
 * model it came from on exactly the same input.
 *
 * @param nr the syscall number as the kernel saw it, including the x32 bit and {@code -1} for skipped calls
 * @param arch the {@code AUDIT_ARCH_*} value of the calling ABI
 * @param instructionPointer the caller's instruction pointer
 * @param args the six raw 64-bit argument registers
 */
public record SeccompData(int nr, int arch, long instructionPointer, long[] args) {

    public static final int ARGUMENT_COUNT = 6;

    public SeccompData {
        Objects.requireNonNull(args, "args");
        if (args.length != ARGUMENT_COUNT) {
            throw new IllegalArgumentException("seccomp_data has exactly 6 arguments, got " + args.length);
        }
        args = args.clone();
    }

    public static SeccompData of(Arch arch, int nr, long... args) {
        long[] all = Arrays.copyOf(args, ARGUMENT_COUNT);
        return new SeccompData(nr, arch.auditArch(), 0, all);
    }

    public long arg(int index) {
        return args[index];
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeccompData that
                && nr == that.nr
                && arch == that.arch
                && instructionPointer == that.instructionPointer
                && Arrays.equals(args, that.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nr, arch, instructionPointer, Arrays.hashCode(args));
    }

    @Override
    public String toString() {
        return "SeccompData[nr=" + nr + ", arch=0x" + Integer.toHexString(arch) + ", args=" + Arrays.toString(args) + "]";
    }
}
