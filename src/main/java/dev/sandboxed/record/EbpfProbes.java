package dev.sandboxed.record;

import dev.sandboxed.linux.Bpf;
import dev.sandboxed.linux.BpfLoadException;
import dev.sandboxed.linux.BpfMapSpec;
import dev.sandboxed.linux.Errno;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.LinuxException;
import dev.sandboxed.linux.LinuxLibC;
import dev.sandboxed.linux.PerfEvents;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The recorder's maps and programs, loaded and attached: from {@link #attach} on, every process the
 * {@code tasks} map names is recorded, whoever it is. {@link #close()} detaches and frees everything (the kernel
 * frees a map or program when its last fd closes).
 *
 * <p>Each program is attached through one perf event, on CPU 0: a tracepoint's BPF programs hang on the
 * tracepoint itself and run on every CPU, so one event per CPU would run (and count) each program once per CPU.
 */
final class EbpfProbes implements AutoCloseable {

    private static final int MAX_TASKS = 1 << 16;
    private static final int MAX_COUNTS = 1 << 16;
    private static final int MAX_VALUES = 1 << 16;
    private static final int MAX_PATHS = 1 << 18;
    private static final int MAX_ADDRESSES = 1 << 14;
    private static final int MAX_EXECS = 1 << 16;
    private static final int MAX_BORN = 1 << 17;
    private static final String LICENSE = "GPL";
    private static final int MAX_STEPS = 1 << 20;

    private final Bpf bpf;
    private final LinuxLibC libc;
    private final List<Integer> fds = new ArrayList<>();
    private EbpfMaps maps;

    private EbpfProbes(Linux linux) {
        this.bpf = linux.bpf();
        this.libc = linux.libc();
    }

    /**
     * Creates the maps, loads the programs and attaches them.
     *
     * @throws EbpfUnavailableException when this process may not, or the kernel cannot (the recorder then falls back)
     * @throws BpfLoadException when the verifier refuses a program (a bug, with the verifier's log)
     */
    static EbpfProbes attach(Linux linux) {
        Tracefs tracefs = Tracefs.locate();
        Tracepoint sysEnter = tracefs.tracepoint("raw_syscalls", "sys_enter");
        Tracepoint fork = tracefs.tracepoint("sched", "sched_process_fork");
        Tracepoint exec = tracefs.tracepoint("sched", "sched_process_exec");
        Tracepoint exit = tracefs.tracepoint("sched", "sched_process_exit");
        EbpfProbes probes = new EbpfProbes(linux);
        try {
            probes.maps = new EbpfMaps(
                    probes.map(Bpf.MAP_HASH, EbpfLayout.TASK_KEY, EbpfLayout.TASK_VALUE, MAX_TASKS, 0, "sbx_tasks"),
                    probes.map(Bpf.MAP_HASH, EbpfLayout.COUNT_KEY, EbpfLayout.COUNT_VALUE, MAX_COUNTS, 0, "sbx_counts"),
                    probes.set(EbpfLayout.VALUE_KEY, MAX_VALUES, "sbx_values"),
                    probes.set(EbpfLayout.PATH_KEY, MAX_PATHS, "sbx_paths"),
                    probes.set(EbpfLayout.ADDRESS_KEY, MAX_ADDRESSES, "sbx_addresses"),
                    probes.map(Bpf.MAP_HASH, EbpfLayout.EXEC_KEY, EbpfLayout.EXEC_VALUE, MAX_EXECS, Bpf.F_NO_PREALLOC,
                            "sbx_execs"),
                    probes.set(EbpfLayout.BORN_KEY, MAX_BORN, "sbx_born"),
                    probes.map(Bpf.MAP_PERCPU_ARRAY, 4, EbpfLayout.SCRATCH, 1, 0, "sbx_scratch"),
                    probes.map(Bpf.MAP_ARRAY, 4, 8, 1, 0, "sbx_sequence"));
            EbpfPrograms programs = new EbpfPrograms(probes.maps, linux.syscalls());
            int enterProgram = probes.program(programs.sysEnter(sysEnter), "sbx_sys_enter");
            int forkProgram = probes.program(programs.fork(fork), "sbx_fork");
            int execProgram = probes.program(programs.exec(exec), "sbx_exec");
            int exitProgram = probes.program(programs.exit(exit), "sbx_exit");
            // Fork and exit first: from the moment sys_enter runs, the tree it counts is already being followed.
            probes.attachTo(linux.perfEvents(), exit, exitProgram);
            probes.attachTo(linux.perfEvents(), fork, forkProgram);
            probes.attachTo(linux.perfEvents(), exec, execProgram);
            probes.attachTo(linux.perfEvents(), sysEnter, enterProgram);
            return probes;
        } catch (BpfLoadException e) {
            probes.close();
            if (e.is(Errno.EPERM)) {
                throw unavailable(e);
            }
            throw e;
        } catch (LinuxException e) {
            probes.close();
            throw unavailable(e);
        } catch (RuntimeException | Error e) {
            probes.close();
            throw e;
        }
    }

    private static EbpfUnavailableException unavailable(LinuxException e) {
        String why = e.is(Errno.EPERM) || e.is(Errno.EACCES)
                ? "not permitted (needs root, or CAP_BPF with CAP_PERFMON)"
                : "not supported by this kernel";
        return new EbpfUnavailableException(why + ": " + e.getMessage(), e);
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    private int map(int type, int keySize, int valueSize, int maxEntries, int flags, String name) {
        return keep(bpf.mapCreate(new BpfMapSpec(type, keySize, valueSize, maxEntries, flags, name)));
    }

    /** A hash map used as a set: allocated as it fills, as most runs touch a small part of it. */
    private int set(int keySize, int maxEntries, String name) {
        return map(Bpf.MAP_HASH, keySize, 1, maxEntries, Bpf.F_NO_PREALLOC, name);
    }

    private int program(byte[] code, String name) {
        return keep(bpf.progLoad(Bpf.PROG_TYPE_TRACEPOINT, code, LICENSE, name));
    }

    private void attachTo(PerfEvents perf, Tracepoint tracepoint, int program) {
        int event = keep(perf.openTracepoint(tracepoint.id(), 0));
        perf.attachBpf(event, program);
        perf.enable(event);
    }

    EbpfMaps maps() {
        return maps;
    }

    /** Records {@code pid} from now on, as the root of the tree; its component starts at its next exec. */
    void track(int pid) {
        bpf.mapUpdate(maps.tasks(), u32(pid), new byte[EbpfLayout.TASK_VALUE], Bpf.ANY);
    }

    /** The tgids recorded now; empty once the whole tree has exited. */
    List<Integer> tracked() {
        List<Integer> tgids = new ArrayList<>();
        keys(maps.tasks(), EbpfLayout.TASK_KEY, key -> tgids.add(buffer(key).getInt(0)));
        return tgids;
    }

    /** Every pid the tree forked. */
    List<Integer> born() {
        List<Integer> pids = new ArrayList<>();
        keys(maps.born(), EbpfLayout.BORN_KEY, key -> pids.add(buffer(key).getInt(0)));
        return pids;
    }

    /** Hands every entry of a hash map to {@code entry}; {@code valueSize} 0 for a set. */
    void entries(int mapFd, int keySize, int valueSize, BiConsumer<ByteBuffer, ByteBuffer> entry) {
        keys(mapFd, keySize, key -> {
            byte[] value = new byte[Math.max(1, valueSize)];
            if (valueSize == 0 || bpf.mapLookup(mapFd, key, value)) {
                entry.accept(buffer(key), buffer(value));
            }
        });
    }

    /**
     * Walks the keys. A key deleted meanwhile makes the kernel restart from the first, so a map the programs keep
     * changing is walked at most a bounded number of steps.
     */
    private void keys(int mapFd, int keySize, Consumer<byte[]> each) {
        byte[] key = null;
        for (int step = 0; step < MAX_STEPS; step++) {
            byte[] next = new byte[keySize];
            if (!bpf.mapNextKey(mapFd, key, next)) {
                return;
            }
            each.accept(next);
            key = next;
        }
    }

    static ByteBuffer buffer(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    private static byte[] u32(int value) {
        byte[] bytes = new byte[4];
        buffer(bytes).putInt(0, value);
        return bytes;
    }

    /**
     * Closes on a daemon thread of its own. Detaching unregisters the tracepoints, and the kernel waits out RCU
     * grace periods for each (0.3 s in all, measured); the recording is complete by then, so the caller need
     * not wait. A JVM that exits first loses nothing: the kernel closes the fds.
     */
    void closeInBackground() {
        Thread closer = new Thread(this::close, "sandbox-ebpf-detach");
        closer.setDaemon(true);
        closer.start();
    }

    /** Detaches the programs (closing their events) and frees programs and maps. Idempotent. */
    @Override
    public synchronized void close() {
        for (int i = fds.size() - 1; i >= 0; i--) {
            try {
                libc.close(fds.get(i));
            } catch (LinuxException e) {
                // Nothing more can be done about an fd that will not close.
            }
        }
        fds.clear();
    }
}
