package dev.sandboxed.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.sandboxed.syscall.SyscallTable;

import java.nio.charset.StandardCharsets;

/** {@link Bpf} and {@link PerfEvents} through {@code syscall(2)} and {@code ioctl(2)}, JNA direct-mapped. */
final class JnaBpf implements Bpf, PerfEvents {

    private static final class Calls {
        static {
            Native.register(Calls.class, NativeLibrary.getInstance("c"));
        }

        static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

        static native int ioctl(int fd, long request, long argument);

        static native String strerror(int errno);
    }

    private static final int MAP_CREATE = 0;
    private static final int MAP_LOOKUP_ELEM = 1;
    private static final int MAP_UPDATE_ELEM = 2;
    private static final int MAP_DELETE_ELEM = 3;
    private static final int MAP_GET_NEXT_KEY = 4;
    private static final int PROG_LOAD = 5;
    /** Room for every {@code union bpf_attr} member used here; the kernel wants the unused tail zeroed. */
    private static final int ATTR_SIZE = 128;
    private static final int OBJECT_NAME = 16;
    private static final int LOG_SIZE = 1 << 20;
    private static final int LOG_LEVEL_ON_FAILURE = 1;

    private static final int PERF_TYPE_TRACEPOINT = 2;
    private static final int PERF_ATTR_SIZE = 128;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final long PERF_ATTR_DISABLED = 1;
    private static final long PERF_EVENT_IOC_ENABLE = 0x2400;
    private static final long PERF_EVENT_IOC_SET_BPF = 0x40042408;

    private final long nrBpf;
    private final long nrPerfEventOpen;

    JnaBpf(SyscallTable table) {
        nrBpf = table.number("bpf").orElseThrow(() -> missing(table, "bpf"));
        nrPerfEventOpen = table.number("perf_event_open").orElseThrow(() -> missing(table, "perf_event_open"));
    }

    private static UnsupportedArchitectureException missing(SyscallTable table, String name) {
        return new UnsupportedArchitectureException("the " + table.arch().id() + " syscall table has no number for " + name);
    }

    private static LinuxException failure(String operation, int errno) {
        return new LinuxException(operation, errno, Calls.strerror(errno));
    }

    private long bpf(int command, Memory attr, String operation) {
        long result = Calls.syscall(nrBpf, command, Pointer.nativeValue(attr), ATTR_SIZE, 0, 0, 0);
        if (result < 0) {
            throw failure(operation, Native.getLastError());
        }
        return result;
    }

    private static Memory attr() {
        Memory attr = new Memory(ATTR_SIZE);
        attr.clear();
        return attr;
    }

    private static void name(Memory attr, long offset, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        attr.write(offset, bytes, 0, Math.min(bytes.length, OBJECT_NAME - 1));
    }

    @Override
    public int mapCreate(BpfMapSpec spec) {
        try (Memory attr = attr()) {
            attr.setInt(0, spec.type());
            attr.setInt(4, spec.keySize());
            attr.setInt(8, spec.valueSize());
            attr.setInt(12, spec.maxEntries());
            attr.setInt(16, spec.flags());
            name(attr, 28, spec.name());
            return (int) bpf(MAP_CREATE, attr, "bpf(BPF_MAP_CREATE, " + spec.name() + ")");
        }
    }

    @Override
    public int progLoad(int type, byte[] instructions, String license, String name) {
        if (instructions.length == 0 || instructions.length % 8 != 0) {
            throw new IllegalArgumentException("an eBPF program is a non-empty sequence of 8-byte instructions, got "
                    + instructions.length + " bytes");
        }
        byte[] licenseBytes = license.getBytes(StandardCharsets.US_ASCII);
        try (Memory attr = attr(); Memory code = new Memory(instructions.length);
             Memory licenseText = new Memory(licenseBytes.length + 1L)) {
            code.write(0, instructions, 0, instructions.length);
            licenseText.write(0, licenseBytes, 0, licenseBytes.length);
            licenseText.setByte(licenseBytes.length, (byte) 0);
            attr.setInt(0, type);
            attr.setInt(4, instructions.length / 8);
            attr.setLong(8, Pointer.nativeValue(code));
            attr.setLong(16, Pointer.nativeValue(licenseText));
            name(attr, 48, name);
            String operation = "bpf(BPF_PROG_LOAD, " + name + ")";
            long fd = Calls.syscall(nrBpf, PROG_LOAD, Pointer.nativeValue(attr), ATTR_SIZE, 0, 0, 0);
            if (fd >= 0) {
                return (int) fd;
            }
            int errno = Native.getLastError();
            if (errno != Errno.EACCES && errno != Errno.EINVAL) {
                throw failure(operation, errno);
            }
            // Only a refused program is loaded again, with the log on: logging slows every successful load.
            try (Memory log = new Memory(LOG_SIZE)) {
                log.setByte(0, (byte) 0);
                attr.setInt(24, LOG_LEVEL_ON_FAILURE);
                attr.setInt(28, LOG_SIZE);
                attr.setLong(32, Pointer.nativeValue(log));
                fd = Calls.syscall(nrBpf, PROG_LOAD, Pointer.nativeValue(attr), ATTR_SIZE, 0, 0, 0);
                if (fd >= 0) {
                    return (int) fd;
                }
                errno = Native.getLastError();
                throw new BpfLoadException(operation, errno, Calls.strerror(errno), log.getString(0, "US-ASCII"));
            }
        }
    }

    private boolean element(int command, int mapFd, byte[] key, byte[] value, long flags, String operation,
                            int absentErrno) {
        try (Memory attr = attr(); Memory k = new Memory(Math.max(1, key == null ? 1 : key.length));
             Memory v = new Memory(Math.max(1, value == null ? 1 : value.length))) {
            if (key != null) {
                k.write(0, key, 0, key.length);
            }
            if (value != null && command == MAP_UPDATE_ELEM) {
                v.write(0, value, 0, value.length);
            }
            attr.setInt(0, mapFd);
            attr.setLong(8, key == null ? 0 : Pointer.nativeValue(k));
            attr.setLong(16, value == null ? 0 : Pointer.nativeValue(v));
            attr.setLong(24, flags);
            long result = Calls.syscall(nrBpf, command, Pointer.nativeValue(attr), ATTR_SIZE, 0, 0, 0);
            if (result < 0) {
                int errno = Native.getLastError();
                if (errno == absentErrno) {
                    return false;
                }
                throw failure(operation, errno);
            }
            if (value != null && command != MAP_UPDATE_ELEM) {
                v.read(0, value, 0, value.length);
            }
            return true;
        }
    }

    @Override
    public boolean mapLookup(int mapFd, byte[] key, byte[] value) {
        return element(MAP_LOOKUP_ELEM, mapFd, key, value, 0, "bpf(BPF_MAP_LOOKUP_ELEM, " + mapFd + ")", Errno.ENOENT);
    }

    @Override
    public void mapUpdate(int mapFd, byte[] key, byte[] value, long flags) {
        element(MAP_UPDATE_ELEM, mapFd, key, value, flags, "bpf(BPF_MAP_UPDATE_ELEM, " + mapFd + ")", 0);
    }

    @Override
    public boolean mapDelete(int mapFd, byte[] key) {
        return element(MAP_DELETE_ELEM, mapFd, key, null, 0, "bpf(BPF_MAP_DELETE_ELEM, " + mapFd + ")", Errno.ENOENT);
    }

    @Override
    public boolean mapNextKey(int mapFd, byte[] key, byte[] next) {
        return element(MAP_GET_NEXT_KEY, mapFd, key, next, 0, "bpf(BPF_MAP_GET_NEXT_KEY, " + mapFd + ")", Errno.ENOENT);
    }

    @Override
    public int openTracepoint(long id, int cpu) {
        try (Memory attr = new Memory(PERF_ATTR_SIZE)) {
            attr.clear();
            attr.setInt(0, PERF_TYPE_TRACEPOINT);
            attr.setInt(4, PERF_ATTR_SIZE);
            attr.setLong(8, id);
            attr.setLong(16, 1);
            attr.setLong(40, PERF_ATTR_DISABLED);
            long fd = Calls.syscall(nrPerfEventOpen, Pointer.nativeValue(attr), -1, cpu, -1, PERF_FLAG_FD_CLOEXEC, 0);
            if (fd < 0) {
                throw failure("perf_event_open(PERF_TYPE_TRACEPOINT " + id + ", cpu " + cpu + ")", Native.getLastError());
            }
            return (int) fd;
        }
    }

    @Override
    public void attachBpf(int eventFd, int programFd) {
        if (Calls.ioctl(eventFd, PERF_EVENT_IOC_SET_BPF, programFd) < 0) {
            throw failure("ioctl(" + eventFd + ", PERF_EVENT_IOC_SET_BPF, " + programFd + ")", Native.getLastError());
        }
    }

    @Override
    public void enable(int eventFd) {
        if (Calls.ioctl(eventFd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
            throw failure("ioctl(" + eventFd + ", PERF_EVENT_IOC_ENABLE)", Native.getLastError());
        }
    }
}
