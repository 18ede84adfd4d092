package dev.sandboxed.linux;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Installs a seccomp filter into a stopped tracee from the outside, by making the tracee itself run
 * {@code prctl(PR_SET_NO_NEW_PRIVS)} and {@code seccomp(SECCOMP_SET_MODE_FILTER)}: a filter can only be installed by
 * the thread it will confine. Doing it this way, right after the command's {@code execve}, replaces a launcher JVM
 * whose start-up (≈ 0.2 s) dominated the cost of recording short runs.
 *
 * <p>The tracee must be in its syscall-exit stop of a successful {@code execve}: one thread, a fresh stack, and the
 * instruction pointer at the program's entry. A {@code syscall} instruction is written over the entry for the duration
 * of the calls, the filter goes below the stack pointer (past the red zone), and every register and byte touched is
 * put back, so the program starts as if nothing happened. x86_64 only: the aarch64 register choreography is written
 * nowhere we can test it, so there the launcher keeps doing this job (see {@link #supports}).
 */
public final class TraceeSeccomp {

    private static final int RAX = 10;
    private static final int RDX = 12;
    private static final int RSI = 13;
    private static final int RDI = 14;
    private static final int ORIG_RAX = 15;
    private static final int RIP = 16;
    private static final int RSP = 19;
    /** {@code syscall} (0f 05) in a little-endian word's low bytes. */
    private static final long SYSCALL_INSTRUCTION = 0x050fL;
    private static final long SYSCALL_INSTRUCTION_MASK = 0xffffL;
    private static final int RED_ZONE = 128;
    private static final int SOCK_FPROG_SIZE = 16;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int SECCOMP_SET_MODE_FILTER = 1;

    private final LinuxLibC libc;
    private final long nrPrctl;
    private final long nrSeccomp;

    private TraceeSeccomp(LinuxLibC libc, SyscallTable table) {
        this.libc = libc;
        this.nrPrctl = table.number("prctl").orElseThrow();
        this.nrSeccomp = table.number("seccomp").orElseThrow();
    }

    /** Whether a tracee of {@code arch} can be given its filter from outside. */
    public static boolean supports(Arch arch) {
        return arch == Arch.X86_64;
    }

    public static TraceeSeccomp of(LinuxLibC libc, Arch arch) {
        Objects.requireNonNull(libc, "libc");
        if (!supports(Objects.requireNonNull(arch, "arch"))) {
            throw new UnsupportedArchitectureException("installing a filter into a tracee is built for x86_64 only, not "
                    + arch.id());
        }
        return new TraceeSeccomp(libc, SyscallTable.of(arch));
    }

    /**
     * Makes the tracee {@code tid}, stopped at the syscall exit of its {@code execve}, install {@code program} (raw
     * {@code struct sock_filter}s), after setting no_new_privs when {@code noNewPrivs}. Leaves it stopped there, with
     * its registers and memory as they were.
     *
     * @return a signal that arrived meanwhile and must still be delivered when the tracee is resumed, or 0
     * @throws LinuxException when a call fails in the tracee (with its errno) or the tracee dies
     */
    public int install(int tid, byte[] program, boolean noNewPrivs) {
        Objects.requireNonNull(program, "program");
        if (program.length == 0 || program.length % Seccomp.INSTRUCTION_SIZE != 0) {
            throw new IllegalArgumentException("a filter is a non-empty array of 8-byte instructions, not " + program.length
                    + " bytes");
        }
        long[] saved = libc.ptraceGetRegisters(tid);
        long entry = saved[RIP];
        long fprog = (saved[RSP] - RED_ZONE - SOCK_FPROG_SIZE - program.length) & ~15L;
        long filter = fprog + SOCK_FPROG_SIZE;
        byte[] data = ByteBuffer.allocate(SOCK_FPROG_SIZE + program.length).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) (program.length / Seccomp.INSTRUCTION_SIZE)).putShort((short) 0).putInt(0)
                .putLong(filter).put(program).array();
        long[] originalData = readWords(tid, fprog, data.length / Long.BYTES);
        long originalCode = readWords(tid, entry, 1)[0];
        Pending pending = new Pending();
        try {
            writeWords(tid, Ptrace.POKEDATA, fprog, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
            libc.ptrace(Ptrace.POKETEXT, tid, entry, (originalCode & ~SYSCALL_INSTRUCTION_MASK) | SYSCALL_INSTRUCTION);
            if (noNewPrivs) {
                call(tid, saved, pending, nrPrctl, PR_SET_NO_NEW_PRIVS, 1, 0, "prctl(PR_SET_NO_NEW_PRIVS)");
            }
            call(tid, saved, pending, nrSeccomp, SECCOMP_SET_MODE_FILTER, 0, fprog, "seccomp(SECCOMP_SET_MODE_FILTER)");
        } finally {
            libc.ptrace(Ptrace.POKETEXT, tid, entry, originalCode);
            ByteBuffer original = ByteBuffer.allocate(originalData.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (long word : originalData) {
                original.putLong(word);
            }
            writeWords(tid, Ptrace.POKEDATA, fprog, original.flip());
            libc.ptraceSetRegisters(tid, saved);
        }
        return pending.signal;
    }

    /** A signal that arrived while the tracee was stepping through our calls. */
    private static final class Pending {
        int signal;
    }

    private void call(int tid, long[] saved, Pending pending, long nr, long a0, long a1, long a2, String what) {
        long[] registers = saved.clone();
        registers[RAX] = nr;
        registers[ORIG_RAX] = -1;
        registers[RDI] = a0;
        registers[RSI] = a1;
        registers[RDX] = a2;
        registers[RIP] = saved[RIP];
        libc.ptraceSetRegisters(tid, registers);
        while (true) {
            libc.ptrace(Ptrace.SINGLESTEP, tid, 0, 0);
            WaitStatus status = libc.waitpid(tid, Wait.WALL);
            if (!status.stopped()) {
                throw new LinuxException(what + " in the tracee", Errno.ESRCH, "the tracee ended while installing its filter");
            }
            long[] after = libc.ptraceGetRegisters(tid);
            if (after[RIP] != saved[RIP]) {
                long result = after[RAX];
                if (result < 0 && result > -4096) {
                    int errno = (int) -result;
                    throw new LinuxException(what + " in the tracee", errno, Errno.name(errno));
                }
                return;
            }
            // Stopped for a signal before the instruction ran: hold the signal back, deliver it once we are done.
            if (status.stopSignal() != Signals.SIGTRAP) {
                pending.signal = status.stopSignal();
            }
        }
    }

    private long[] readWords(int tid, long address, int count) {
        byte[] raw = new byte[count * Long.BYTES];
        if (libc.processVmReadv(tid, address, raw, raw.length) != raw.length) {
            throw new LinuxException("reading the tracee at 0x" + Long.toHexString(address), Errno.EFAULT, "short read");
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] words = new long[count];
        for (int i = 0; i < count; i++) {
            words[i] = buffer.getLong();
        }
        return words;
    }

    private void writeWords(int tid, int request, long address, ByteBuffer words) {
        for (long at = address; words.remaining() >= Long.BYTES; at += Long.BYTES) {
            libc.ptrace(request, tid, at, words.getLong());
        }
    }
}
