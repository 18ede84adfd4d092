package dev.sandboxed.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import dev.sandboxed.syscall.SyscallTable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

/** {@link LinuxLibC} through JNA direct mapping, the fastest JNA calling convention (a ptrace stop makes three calls). */
final class JnaLinuxLibC implements LinuxLibC {

    /*
     * Direct-mapped libc symbols, in groups bound on first use (binding costs start-up time, which the short-lived
     * launcher JVM pays in full). Registration binds them once; the classes hold no state.
     */
    /** What every user needs, the launcher included: registered first and alone, as each bound symbol costs start-up time. */
    private static final class Core {
        static {
            Native.register(Core.class, NativeLibrary.getInstance("c"));
        }

        static native int getpid();

        static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

        static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        static native int kill(int pid, int signal);

        static native int pipe2(int[] fds, int flags);

        static native long read(int fd, byte[] buffer, long count);

        static native long write(int fd, byte[] buffer, long count);

        static native int close(int fd);

        static native int open(String path, int flags, int mode);

        static native int fcntl(int fd, int command, long argument);

        static native int execve(String path, Pointer argv, Pointer envp);

        static native int execve(Pointer path, Pointer argv, Pointer envp);

        static native String strerror(int errno);
    }

    /** The tracer's calls. */
    private static final class Trace {
        static {
            Native.register(Trace.class, NativeLibrary.getInstance("c"));
        }

        static native long ptrace(int request, int pid, long address, long data);

        static native long ptrace(int request, int pid, long address, byte[] data);

        static native long ptrace(int request, int pid, long address, long[] data);

        static native long ptrace(int request, int pid, long address, Pointer data);

        static native int waitpid(int pid, int[] status, int options);

        static native int waitid(int idType, int id, byte[] info, int options);

        static native long process_vm_readv(int pid, Pointer local, long localCount, Pointer remote, long remoteCount,
                                            long flags);
    }

    /** posix_spawn and its attribute helpers. */
    private static final class Spawn {
        static {
            Native.register(Spawn.class, NativeLibrary.getInstance("c"));
        }

        static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attributes, Pointer argv,
                                      Pointer envp);

        static native int posix_spawn_file_actions_init(Pointer actions);

        static native int posix_spawn_file_actions_destroy(Pointer actions);

        static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

        static native int posix_spawn_file_actions_addclose(Pointer actions, int fd);

        static native int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

        static native int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

        static native int posix_spawnattr_init(Pointer attributes);

        static native int posix_spawnattr_destroy(Pointer attributes);

        static native int posix_spawnattr_setflags(Pointer attributes, short flags);

        static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

        static native int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

        static native int posix_spawnattr_setpgroup(Pointer attributes, int pgroup);

        static native int sigemptyset(Pointer set);

        static native int sigfillset(Pointer set);
    }

    /** CPU affinity and system identity. */
    private static final class Sched {
        static {
            Native.register(Sched.class, NativeLibrary.getInstance("c"));
        }

        static native int sched_setaffinity(int pid, long size, byte[] mask);

        static native int sched_getaffinity(int pid, long size, byte[] mask);

        static native int sched_getcpu();

        static native int uname(byte[] buffer);
    }

    private static final int SYSCALL_INFO_SIZE = 88;
    private static final int CPU_MASK_BYTES = 128;
    private static final int UTSNAME_FIELD = 65;
    private static final int NATIVE_STRUCT_ROOM = 1024;
    private static final int SIGSET_SIZE = 128;
    private static final int SCRATCH_SIZE = 8192;
    private static final int IOVEC_ROOM = 64;

    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    private final long nrGettid;
    private final long nrTgkill;
    private final long nrSeccomp;
    private final long nrPidfdOpen;
    private final long nrPidfdGetfd;
    private final long nrLandlockCreateRuleset;
    private final long nrLandlockAddRule;
    private final long nrLandlockRestrictSelf;
    /** Per-thread native buffer for process_vm_readv: a tracer reads tracee memory at almost every stop. */
    private final ThreadLocal<Memory> scratch = ThreadLocal.withInitial(() -> new Memory(SCRATCH_SIZE + IOVEC_ROOM));

    JnaLinuxLibC(SyscallTable table) {
        nrGettid = number(table, "gettid");
        nrTgkill = number(table, "tgkill");
        nrSeccomp = number(table, "seccomp");
        nrPidfdOpen = number(table, "pidfd_open");
        nrPidfdGetfd = number(table, "pidfd_getfd");
        nrLandlockCreateRuleset = number(table, "landlock_create_ruleset");
        nrLandlockAddRule = number(table, "landlock_add_rule");
        nrLandlockRestrictSelf = number(table, "landlock_restrict_self");
    }

    private static long number(SyscallTable table, String name) {
        return table.number(name).orElseThrow(() -> new UnsupportedArchitectureException(
                "the " + table.arch().id() + " syscall table has no number for " + name));
    }

    private static LinuxException failure(String operation) {
        int errno = Native.getLastError();
        return failure(operation, errno);
    }

    private static LinuxException failure(String operation, int errno) {
        return new LinuxException(operation, errno, Core.strerror(errno));
    }

    private static long check(long result, String operation) {
        if (result == -1) {
            throw failure(operation);
        }
        return result;
    }

    private static int check(int result, String operation) {
        if (result == -1) {
            throw failure(operation);
        }
        return result;
    }

    /** posix_spawn and its helpers return the error number instead of setting errno. */
    private static void checkReturned(int error, String operation) {
        if (error != 0) {
            throw failure(operation, error);
        }
    }

    @Override
    public int getpid() {
        return Core.getpid();
    }

    @Override
    public int gettid() {
        return (int) check(Core.syscall(nrGettid, 0, 0, 0, 0, 0, 0), "gettid()");
    }

    @Override
    public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return check(Core.prctl(option, arg2, arg3, arg4, arg5), "prctl(" + option + ", " + arg2 + ")");
    }

    @Override
    public long ptrace(int request, int tid, long address, long data) {
        return check(Trace.ptrace(request, tid, address, data), "ptrace(0x" + Integer.toHexString(request) + ", " + tid + ")");
    }

    @Override
    public SyscallInfo ptraceGetSyscallInfo(int tid) {
        byte[] raw = new byte[SYSCALL_INFO_SIZE];
        check(Trace.ptrace(Ptrace.GET_SYSCALL_INFO, tid, SYSCALL_INFO_SIZE, raw), "ptrace(PTRACE_GET_SYSCALL_INFO, " + tid + ")");
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        int op = b.get(0) & 0xff;
        SyscallInfo.Stop stop = op < SyscallInfo.Stop.values().length ? SyscallInfo.Stop.values()[op] : SyscallInfo.Stop.NONE;
        long[] args = new long[6];
        if (stop == SyscallInfo.Stop.ENTRY || stop == SyscallInfo.Stop.SECCOMP) {
            for (int i = 0; i < 6; i++) {
                args[i] = b.getLong(32 + 8 * i);
            }
        }
        long nr = stop == SyscallInfo.Stop.EXIT ? -1 : b.getLong(24);
        long rval = stop == SyscallInfo.Stop.EXIT ? b.getLong(24) : 0;
        boolean isError = stop == SyscallInfo.Stop.EXIT && b.get(32) != 0;
        int retData = stop == SyscallInfo.Stop.SECCOMP ? b.getInt(80) : 0;
        return new SyscallInfo(stop, b.getInt(4), b.getLong(8), b.getLong(16), nr, args, rval, isError, retData);
    }

    @Override
    public long ptraceGetEventMessage(int tid) {
        long[] message = new long[1];
        check(Trace.ptrace(Ptrace.GETEVENTMSG, tid, 0, message), "ptrace(PTRACE_GETEVENTMSG, " + tid + ")");
        return message[0];
    }

    @Override
    public long[] ptraceGetRegisters(int tid) {
        Memory memory = scratch.get();
        Pointer iovec = memory.share(0);
        iovec.setPointer(0, memory.share(IOVEC_ROOM));
        iovec.setLong(8, SCRATCH_SIZE);
        check(Trace.ptrace(Ptrace.GETREGSET, tid, Ptrace.NT_PRSTATUS, iovec), "ptrace(PTRACE_GETREGSET, " + tid + ")");
        return memory.share(IOVEC_ROOM).getLongArray(0, (int) (iovec.getLong(8) / Long.BYTES));
    }

    @Override
    public void ptraceSetRegisters(int tid, long[] registers) {
        Memory memory = scratch.get();
        Pointer iovec = memory.share(0);
        iovec.setPointer(0, memory.share(IOVEC_ROOM));
        iovec.setLong(8, (long) registers.length * Long.BYTES);
        memory.share(IOVEC_ROOM).write(0, registers, 0, registers.length);
        check(Trace.ptrace(Ptrace.SETREGSET, tid, Ptrace.NT_PRSTATUS, iovec), "ptrace(PTRACE_SETREGSET, " + tid + ")");
    }

    @Override
    public WaitStatus waitpid(int pid, int options) {
        int[] status = new int[1];
        int result = check(Trace.waitpid(pid, status, options), "waitpid(" + pid + ")");
        return new WaitStatus(result, status[0]);
    }

    @Override
    public ChildEvent waitid(int idType, int id, int options) {
        byte[] info = new byte[128];
        check(Trace.waitid(idType, id, info, options), "waitid(" + idType + ", " + id + ")");
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
        return new ChildEvent(b.getInt(16), b.getInt(8), b.getInt(24));
    }

    @Override
    public void kill(int pid, int signal) {
        check(Core.kill(pid, signal), "kill(" + pid + ", " + Signals.name(signal) + ")");
    }

    @Override
    public void tgkill(int tgid, int tid, int signal) {
        check(Core.syscall(nrTgkill, tgid, tid, signal, 0, 0, 0), "tgkill(" + tgid + ", " + tid + ", " + Signals.name(signal) + ")");
    }

    @Override
    public int processVmReadv(int pid, long remoteAddress, byte[] into, int length) {
        if (length > into.length) {
            throw new IllegalArgumentException("length " + length + " exceeds the buffer's " + into.length);
        }
        Memory memory = scratch.get();
        int done = 0;
        while (done < length) {
            int chunk = Math.min(SCRATCH_SIZE, length - done);
            Pointer local = memory.share(0);
            local.setPointer(0, memory.share(IOVEC_ROOM));
            local.setLong(8, chunk);
            local.setLong(16, remoteAddress + done);
            local.setLong(24, chunk);
            long n = Trace.process_vm_readv(pid, local, 1, local.share(16), 1, 0);
            if (n == -1) {
                if (done > 0) {
                    break;
                }
                throw failure("process_vm_readv(" + pid + ", 0x" + Long.toHexString(remoteAddress) + ")");
            }
            memory.read(IOVEC_ROOM, into, done, (int) n);
            done += (int) n;
            if (n < chunk) {
                break;
            }
        }
        return done;
    }

    @Override
    public Pipe pipe2(int flags) {
        int[] fds = new int[2];
        check(Core.pipe2(fds, flags), "pipe2()");
        return new Pipe(fds[0], fds[1]);
    }

    @Override
    public int read(int fd, byte[] buffer, int length) {
        return (int) check(Core.read(fd, buffer, Math.min(length, buffer.length)), "read(" + fd + ")");
    }

    @Override
    public int write(int fd, byte[] buffer, int length) {
        return (int) check(Core.write(fd, buffer, Math.min(length, buffer.length)), "write(" + fd + ")");
    }

    @Override
    public void close(int fd) {
        check(Core.close(fd), "close(" + fd + ")");
    }

    @Override
    public int open(String path, int flags, int mode) {
        return check(Core.open(path, flags, mode), "open(" + path + ")");
    }

    @Override
    public int fcntl(int fd, int command, long argument) {
        return check(Core.fcntl(fd, command, argument), "fcntl(" + fd + ", " + command + ")");
    }

    @Override
    public void execve(String path, List<String> argv, List<String> environment) {
        Core.execve(path, new StringArray(argv.toArray(String[]::new)), new StringArray(environment.toArray(String[]::new)));
        throw failure("execve(" + path + ")");
    }

    @Override
    public int posixSpawn(String path, List<SpawnAction> fileActions, SpawnAttributes attributes, List<String> argv,
                          List<String> environment) {
        try (Memory actions = new Memory(NATIVE_STRUCT_ROOM);
             Memory attr = new Memory(NATIVE_STRUCT_ROOM);
             Memory signals = new Memory(SIGSET_SIZE)) {
            actions.clear();
            attr.clear();
            checkReturned(Spawn.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            checkReturned(Spawn.posix_spawnattr_init(attr), "posix_spawnattr_init");
            try {
                for (SpawnAction action : fileActions) {
                    addAction(actions, action);
                }
                short flags = 0;
                if (attributes.clearSignalMask()) {
                    Spawn.sigemptyset(signals);
                    checkReturned(Spawn.posix_spawnattr_setsigmask(attr, signals), "posix_spawnattr_setsigmask");
                    flags |= POSIX_SPAWN_SETSIGMASK;
                }
                if (attributes.defaultSignalHandlers()) {
                    Spawn.sigfillset(signals);
                    checkReturned(Spawn.posix_spawnattr_setsigdefault(attr, signals), "posix_spawnattr_setsigdefault");
                    flags |= POSIX_SPAWN_SETSIGDEF;
                }
                if (attributes.newProcessGroup()) {
                    checkReturned(Spawn.posix_spawnattr_setpgroup(attr, 0), "posix_spawnattr_setpgroup");
                    flags |= POSIX_SPAWN_SETPGROUP;
                }
                checkReturned(Spawn.posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags");
                int[] pid = new int[1];
                checkReturned(Spawn.posix_spawn(pid, path, actions, attr, new StringArray(argv.toArray(String[]::new)),
                        new StringArray(environment.toArray(String[]::new))), "posix_spawn(" + path + ")");
                return pid[0];
            } finally {
                Spawn.posix_spawn_file_actions_destroy(actions);
                Spawn.posix_spawnattr_destroy(attr);
            }
        }
    }

    private static void addAction(Pointer actions, SpawnAction action) {
        if (action instanceof SpawnAction.Dup2 d) {
            checkReturned(Spawn.posix_spawn_file_actions_adddup2(actions, d.source(), d.target()),
                    "posix_spawn_file_actions_adddup2(" + d.source() + ", " + d.target() + ")");
        } else if (action instanceof SpawnAction.Close c) {
            checkReturned(Spawn.posix_spawn_file_actions_addclose(actions, c.fd()), "posix_spawn_file_actions_addclose(" + c.fd() + ")");
        } else if (action instanceof SpawnAction.Open o) {
            checkReturned(Spawn.posix_spawn_file_actions_addopen(actions, o.fd(), o.path(), o.flags(), o.mode()),
                    "posix_spawn_file_actions_addopen(" + o.fd() + ", " + o.path() + ")");
        } else if (action instanceof SpawnAction.Chdir c) {
            checkReturned(Spawn.posix_spawn_file_actions_addchdir_np(actions, c.directory()),
                    "posix_spawn_file_actions_addchdir_np(" + c.directory() + ")");
        }
    }

    @Override
    public void schedSetaffinity(int tid, BitSet cpus) {
        byte[] mask = new byte[CPU_MASK_BYTES];
        byte[] bits = cpus.toByteArray();
        System.arraycopy(bits, 0, mask, 0, Math.min(bits.length, mask.length));
        check(Sched.sched_setaffinity(tid, mask.length, mask), "sched_setaffinity(" + tid + ", " + cpus + ")");
    }

    @Override
    public BitSet schedGetaffinity(int tid) {
        byte[] mask = new byte[CPU_MASK_BYTES];
        check(Sched.sched_getaffinity(tid, mask.length, mask), "sched_getaffinity(" + tid + ")");
        return BitSet.valueOf(mask);
    }

    @Override
    public int schedGetcpu() {
        return check(Sched.sched_getcpu(), "sched_getcpu()");
    }

    @Override
    public Utsname uname() {
        byte[] raw = new byte[UTSNAME_FIELD * 6];
        check(Sched.uname(raw), "uname()");
        String[] fields = new String[5];
        for (int i = 0; i < fields.length; i++) {
            int start = i * UTSNAME_FIELD;
            int end = start;
            while (end < start + UTSNAME_FIELD && raw[end] != 0) {
                end++;
            }
            fields[i] = new String(raw, start, end - start, StandardCharsets.UTF_8);
        }
        return new Utsname(fields[0], fields[1], fields[2], fields[3], fields[4]);
    }

    @Override
    public int pidfdOpen(int pid, int flags) {
        return (int) check(Core.syscall(nrPidfdOpen, pid, flags, 0, 0, 0, 0), "pidfd_open(" + pid + ")");
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd, int flags) {
        return (int) check(Core.syscall(nrPidfdGetfd, pidfd, targetFd, flags, 0, 0, 0),
                "pidfd_getfd(" + pidfd + ", " + targetFd + ")");
    }

    @Override
    public int seccompSetModeFilter(int flags, byte[] program) {
        try (Memory filter = filterMemory(program); Memory fprog = new Memory(16)) {
            fprog.clear();
            fprog.setShort(0, (short) (program.length / Seccomp.INSTRUCTION_SIZE));
            fprog.setPointer(8, filter);
            return (int) check(Core.syscall(nrSeccomp, Seccomp.SET_MODE_FILTER, flags, Pointer.nativeValue(fprog), 0, 0, 0),
                    "seccomp(SECCOMP_SET_MODE_FILTER, 0x" + Integer.toHexString(flags) + ")");
        }
    }

    @Override
    public void execveUnderFilter(int seccompFlags, byte[] program, String path, List<String> argv,
                                  List<String> environment) {
        byte[] pathBytes = path.getBytes(StandardCharsets.UTF_8);
        try (Memory filter = filterMemory(program); Memory fprog = new Memory(16);
             Memory nativePath = new Memory(pathBytes.length + 1L)) {
            fprog.clear();
            fprog.setShort(0, (short) (program.length / Seccomp.INSTRUCTION_SIZE));
            fprog.setPointer(8, filter);
            nativePath.write(0, pathBytes, 0, pathBytes.length);
            nativePath.setByte(pathBytes.length, (byte) 0);
            StringArray nativeArgv = new StringArray(argv.toArray(String[]::new));
            StringArray nativeEnvironment = new StringArray(environment.toArray(String[]::new));
            // From here to the exec nothing allocates or converts: the filter's first call is the exec itself.
            check(Core.syscall(nrSeccomp, Seccomp.SET_MODE_FILTER, seccompFlags, Pointer.nativeValue(fprog), 0, 0, 0),
                    "seccomp(SECCOMP_SET_MODE_FILTER, 0x" + Integer.toHexString(seccompFlags) + ")");
            Core.execve(nativePath, nativeArgv, nativeEnvironment);
            throw failure("execve(" + path + ") under the seccomp filter");
        }
    }

    private static Memory filterMemory(byte[] program) {
        if (program.length == 0 || program.length % Seccomp.INSTRUCTION_SIZE != 0) {
            throw new IllegalArgumentException("a seccomp program is a non-empty sequence of 8-byte instructions, got "
                    + program.length + " bytes");
        }
        int count = program.length / Seccomp.INSTRUCTION_SIZE;
        if (count > Seccomp.MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("a seccomp program has at most " + Seccomp.MAX_INSTRUCTIONS
                    + " instructions, got " + count);
        }
        Memory filter = new Memory(program.length);
        filter.write(0, program, 0, program.length);
        return filter;
    }

    @Override
    public boolean seccompActionAvailable(int action) {
        try (Memory value = new Memory(4)) {
            value.setInt(0, action);
            long result = Core.syscall(nrSeccomp, Seccomp.GET_ACTION_AVAIL, 0, Pointer.nativeValue(value), 0, 0, 0);
            if (result == 0) {
                return true;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EOPNOTSUPP) {
                return false;
            }
            throw failure("seccomp(SECCOMP_GET_ACTION_AVAIL, 0x" + Integer.toHexString(action) + ")", errno);
        }
    }

    @Override
    public SeccompNotifSizes seccompNotifSizes() {
        try (Memory sizes = new Memory(6)) {
            check(Core.syscall(nrSeccomp, Seccomp.GET_NOTIF_SIZES, 0, Pointer.nativeValue(sizes), 0, 0, 0),
                    "seccomp(SECCOMP_GET_NOTIF_SIZES)");
            return new SeccompNotifSizes(sizes.getShort(0) & 0xffff, sizes.getShort(2) & 0xffff, sizes.getShort(4) & 0xffff);
        }
    }

    @Override
    public int landlockAbiVersion() {
        long result = Core.syscall(nrLandlockCreateRuleset, 0, 0, Landlock.CREATE_RULESET_VERSION, 0, 0, 0);
        if (result >= 0) {
            return (int) result;
        }
        int errno = Native.getLastError();
        if (errno == Errno.ENOSYS || errno == Errno.EOPNOTSUPP) {
            return 0;
        }
        throw failure("landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION)", errno);
    }

    @Override
    public int landlockCreateRuleset(long handledAccessFs, long handledAccessNet, long scoped) {
        int size = scoped != 0 ? 24 : handledAccessNet != 0 ? 16 : 8;
        try (Memory attr = new Memory(24)) {
            attr.setLong(0, handledAccessFs);
            attr.setLong(8, handledAccessNet);
            attr.setLong(16, scoped);
            return (int) check(Core.syscall(nrLandlockCreateRuleset, Pointer.nativeValue(attr), size, 0, 0, 0, 0),
                    "landlock_create_ruleset(fs=0x" + Long.toHexString(handledAccessFs) + ")");
        }
    }

    @Override
    public void landlockAddPathBeneath(int rulesetFd, long allowedAccess, int parentFd) {
        try (Memory attr = new Memory(12)) {
            attr.setLong(0, allowedAccess);
            attr.setInt(8, parentFd);
            check(Core.syscall(nrLandlockAddRule, rulesetFd, Landlock.RULE_PATH_BENEATH, Pointer.nativeValue(attr), 0, 0, 0),
                    "landlock_add_rule(PATH_BENEATH, 0x" + Long.toHexString(allowedAccess) + ")");
        }
    }

    @Override
    public void landlockRestrictSelf(int rulesetFd) {
        check(Core.syscall(nrLandlockRestrictSelf, rulesetFd, 0, 0, 0, 0, 0), "landlock_restrict_self()");
    }
}
