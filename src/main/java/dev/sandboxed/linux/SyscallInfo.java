package dev.sandboxed.linux;

import java.util.Arrays;

/**
 * {@code struct ptrace_syscall_info}: the kernel's own, architecture-neutral description of the system call a
 * stopped tracee is in. Reading it avoids per-architecture register layouts and tells which ABI (audit arch)
 * the call came through, which is how a 32-bit call on a 64-bit kernel is told apart.
 */
public final class SyscallInfo {

    /** Which stop the tracee is in, as {@code PTRACE_SYSCALL_INFO_*}. */
    public enum Stop {
        NONE, ENTRY, EXIT, SECCOMP
    }

    private final Stop stop;
    private final int auditArch;
    private final long instructionPointer;
    private final long stackPointer;
    private final long nr;
    private final long[] args;
    private final long returnValue;
    private final boolean error;
    private final int seccompData;

    public SyscallInfo(Stop stop, int auditArch, long instructionPointer, long stackPointer, long nr, long[] args,
                       long returnValue, boolean error, int seccompData) {
        if (args.length != 6) {
            throw new IllegalArgumentException("a syscall has 6 argument registers, got " + args.length);
        }
        this.stop = stop;
        this.auditArch = auditArch;
        this.instructionPointer = instructionPointer;
        this.stackPointer = stackPointer;
        this.nr = nr;
        this.args = args.clone();
        this.returnValue = returnValue;
        this.error = error;
        this.seccompData = seccompData;
    }

    public Stop stop() {
        return stop;
    }

    public int auditArch() {
        return auditArch;
    }

    public long instructionPointer() {
        return instructionPointer;
    }

    public long stackPointer() {
        return stackPointer;
    }

    /** The syscall number at entry and seccomp stops. */
    public long nr() {
        return nr;
    }

    public long arg(int index) {
        return args[index];
    }

    /** At an exit stop: the return value, a negated errno when {@link #isError()}. */
    public long returnValue() {
        return returnValue;
    }

    public boolean isError() {
        return error;
    }

    /** At a seccomp stop: the 16 data bits of the {@code SECCOMP_RET_TRACE} action that stopped it. */
    public int seccompData() {
        return seccompData;
    }

    @Override
    public String toString() {
        return "SyscallInfo[" + stop + " arch=0x" + Integer.toHexString(auditArch) + " nr=" + nr + " args="
                + Arrays.toString(args) + (stop == Stop.EXIT ? " rval=" + returnValue : "") + "]";
    }
}
