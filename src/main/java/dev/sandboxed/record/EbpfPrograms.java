package dev.sandboxed.record;

import dev.sandboxed.ebpf.AluOp;
import dev.sandboxed.ebpf.Assembler;
import dev.sandboxed.ebpf.Helper;
import dev.sandboxed.ebpf.JumpOp;
import dev.sandboxed.ebpf.Label;
import dev.sandboxed.ebpf.Register;
import dev.sandboxed.ebpf.Size;
import dev.sandboxed.linux.Bpf;
import dev.sandboxed.linux.OpenFlags;
import dev.sandboxed.syscall.SyscallTable;

import java.util.List;
import java.util.OptionalInt;

import static dev.sandboxed.ebpf.Register.R0;
import static dev.sandboxed.ebpf.Register.R1;
import static dev.sandboxed.ebpf.Register.R10;
import static dev.sandboxed.ebpf.Register.R2;
import static dev.sandboxed.ebpf.Register.R3;
import static dev.sandboxed.ebpf.Register.R4;
import static dev.sandboxed.ebpf.Register.R6;
import static dev.sandboxed.ebpf.Register.R7;
import static dev.sandboxed.ebpf.Register.R8;
import static dev.sandboxed.ebpf.Register.R9;

/**
 * The recorder's four tracepoint programs, assembled for the running kernel's record layouts and the running
 * architecture's syscall numbers.
 *
 * <p>Scope: a task is recorded when its tgid is in the {@code tasks} map. User space puts the root there (with
 * component 0, "not yet the command") before it execs the command; {@code sched_process_fork} copies the
 * parent's entry to the child, in the parent, before the child can run, so no child escapes;
 * {@code sched_process_exec} gives the tgid a fresh component key and stores the executed file under it;
 * {@code sched_process_exit} removes a thread's stray entry (the fork tracepoint cannot tell threads from
 * processes) and the tgid's entry once its last thread exits, so the map is empty exactly when the tree is gone.
 * Everything is counted and deduplicated in the kernel; user space reads the maps once, at the end.
 */
final class EbpfPrograms {

    private static final int ZERO_KEY = -8;
    private static final int TGID = -4;
    private static final int COUNT_KEY = -24;
    private static final int ONE = -32;
    private static final int VALUE_KEY = -56;
    private static final int POINTED = -72;
    private static final int TASK_VALUE = -80;
    private static final int AT_FDCWD = OpenFlags.AT_FDCWD;

    private final EbpfMaps maps;
    private final SyscallTable table;

    EbpfPrograms(EbpfMaps maps, SyscallTable table) {
        this.maps = maps;
        this.table = table;
    }

    /** {@code raw_syscalls/sys_enter}: counts the call, and keeps its deciding values, paths and address. */
    byte[] sysEnter(Tracepoint tracepoint) {
        int id = tracepoint.offset("id");
        int args = tracepoint.offset("args");
        Assembler a = new Assembler();
        Label out = a.newLabel();
        a.mov(R6, R1);
        trackedTask(a, out);
        a.load(Size.DOUBLE, R7, R0, 0).store(Size.DOUBLE, R10, TASK_VALUE, R7).mov32(R7, R7);
        a.jump(JumpOp.JEQ, R7, 0, out);
        a.load(Size.DOUBLE, R8, R6, id);

        Label insert = a.newLabel();
        Label dispatch = a.newLabel();
        a.store(Size.DOUBLE, R10, COUNT_KEY, R7).store(Size.DOUBLE, R10, COUNT_KEY + 8, R8);
        a.loadMap(R1, maps.counts()).mov(R2, R10).alu(AluOp.ADD, R2, COUNT_KEY).call(Helper.MAP_LOOKUP_ELEM);
        a.jump(JumpOp.JEQ, R0, 0, insert);
        a.mov(R1, 1).atomicAdd(R0, 0, R1).jump(dispatch);
        a.bind(insert);
        a.store(Size.DOUBLE, R10, ONE, 1);
        a.loadMap(R1, maps.counts()).mov(R2, R10).alu(AluOp.ADD, R2, COUNT_KEY).mov(R3, R10).alu(AluOp.ADD, R3, ONE)
                .mov(R4, (int) Bpf.NOEXIST).call(Helper.MAP_UPDATE_ELEM);
        a.jump(JumpOp.JEQ, R0, 0, dispatch);
        // Another CPU inserted the same key first: add to its count.
        a.loadMap(R1, maps.counts()).mov(R2, R10).alu(AluOp.ADD, R2, COUNT_KEY).call(Helper.MAP_LOOKUP_ELEM);
        a.jump(JumpOp.JEQ, R0, 0, dispatch);
        a.mov(R1, 1).atomicAdd(R0, 0, R1);
        a.bind(dispatch);

        for (String name : List.of("chdir", "fchdir", "chroot")) {
            OptionalInt nr = table.number(name);
            if (nr.isPresent()) {
                Label next = a.newLabel();
                a.jump(JumpOp.JNE, R8, nr.getAsInt(), next);
                moved(a, out);
                a.jump(out);
                a.bind(next);
            }
        }
        for (String name : table.names()) {
            OptionalInt nr = table.number(name);
            List<CallFacts.Deciding> deciding = CallFacts.deciding(name);
            List<CallFacts.PathArgument> paths = CallFacts.paths(name);
            boolean address = CallFacts.namesAddress(name);
            if (nr.isEmpty() || deciding.isEmpty() && paths.isEmpty() && !address) {
                continue;
            }
            Label next = a.newLabel();
            a.jump(JumpOp.JNE, R8, nr.getAsInt(), next);
            for (CallFacts.Deciding argument : deciding) {
                value(a, args, argument);
            }
            for (int slot = 0; slot < paths.size(); slot++) {
                path(a, args, slot, paths.get(slot));
            }
            if (address) {
                address(a, args);
            }
            a.jump(out);
            a.bind(next);
        }
        a.bind(out);
        return a.mov(R0, 0).exit().assemble();
    }

    /** Marks the tgid as having left the run's working directory: its cwd-relative paths can no longer be resolved. */
    private void moved(Assembler a, Label out) {
        a.loadMap(R1, maps.tasks()).mov(R2, R10).alu(AluOp.ADD, R2, TGID).call(Helper.MAP_LOOKUP_ELEM);
        a.jump(JumpOp.JEQ, R0, 0, out);
        a.load(Size.DOUBLE, R1, R0, 0).loadImm64(R2, EbpfLayout.MOVED).alu(AluOp.OR, R1, R2).store(Size.DOUBLE, R0, 0, R1);
    }

    /** Looks the current process up in {@code tasks}: R0 holds its entry, or control goes to {@code untracked}. */
    private void trackedTask(Assembler a, Label untracked) {
        a.call(Helper.GET_CURRENT_PID_TGID).alu(AluOp.RSH, R0, 32).store(Size.WORD, R10, TGID, R0);
        a.loadMap(R1, maps.tasks()).mov(R2, R10).alu(AluOp.ADD, R2, TGID).call(Helper.MAP_LOOKUP_ELEM);
        a.jump(JumpOp.JEQ, R0, 0, untracked);
    }

    private static int arg(int args, int index) {
        return args + 8 * index;
    }

    private void value(Assembler a, int args, CallFacts.Deciding argument) {
        Label skip = a.newLabel();
        a.load(Size.DOUBLE, R1, R6, arg(args, argument.index()));
        switch (argument.source()) {
            case INT -> a.mov32(R1, R1);
            case LONG -> {
            }
            case INT_WITH_PROT_EXEC -> {
                a.mov32(R1, R1).mov(R2, R1).alu(AluOp.AND, R2, (int) CallFacts.PROT_EXEC);
                a.jump(JumpOp.JEQ, R2, 0, skip);
            }
            case POINTED_U64 -> {
                a.mov(R3, R1).mov(R1, R10).alu(AluOp.ADD, R1, POINTED).mov(R2, 8).call(Helper.PROBE_READ_USER);
                a.jump(JumpOp.JNE, R0, 0, skip);
                a.load(Size.DOUBLE, R1, R10, POINTED);
            }
        }
        a.store(Size.DOUBLE, R10, VALUE_KEY, R7).store(Size.WORD, R10, VALUE_KEY + 8, R8)
                .store(Size.WORD, R10, VALUE_KEY + 12, argument.index()).store(Size.DOUBLE, R10, VALUE_KEY + 16, R1);
        insertIfAbsent(a, maps.values(), R10, VALUE_KEY);
        a.bind(skip);
    }

    /** {@code scratch[0]} into R9; to {@code out} when absent (never, for a one-entry array). */
    private void scratch(Assembler a, Label out) {
        a.store(Size.WORD, R10, ZERO_KEY, 0);
        a.loadMap(R1, maps.scratch()).mov(R2, R10).alu(AluOp.ADD, R2, ZERO_KEY).call(Helper.MAP_LOOKUP_ELEM);
        a.jump(JumpOp.JEQ, R0, 0, out);
        a.mov(R9, R0);
    }

    private static void zero(Assembler a, Register base, int from, int to) {
        for (int offset = from; offset < to; offset += 8) {
            a.store(Size.DOUBLE, base, offset, 0);
        }
    }

    private void path(Assembler a, int args, int slot, CallFacts.PathArgument argument) {
        Label skip = a.newLabel();
        scratch(a, skip);
        zero(a, R9, EbpfLayout.PATH_TEXT, EbpfLayout.PATH_KEY);
        a.store(Size.DOUBLE, R9, 0, R7).store(Size.WORD, R9, 8, R8).store(Size.BYTE, R9, EbpfLayout.PATH_SLOT, slot)
                .store(Size.HALF, R9, 14, 0);
        Label notCwd = a.newLabel();
        a.store(Size.BYTE, R9, EbpfLayout.PATH_CWD, 0);
        if (argument.dirfdIndex() >= 0) {
            a.load(Size.DOUBLE, R1, R6, arg(args, argument.dirfdIndex())).alu(AluOp.LSH, R1, 32).alu(AluOp.ARSH, R1, 32);
            a.jump(JumpOp.JNE, R1, AT_FDCWD, notCwd);
        }
        a.load(Size.DOUBLE, R1, R10, TASK_VALUE).alu(AluOp.RSH, R1, 32).jump(JumpOp.JNE, R1, 0, notCwd);
        a.store(Size.BYTE, R9, EbpfLayout.PATH_CWD, 1);
        a.bind(notCwd);
        if (argument.flagsIndex() < 0) {
            a.store(Size.DOUBLE, R9, EbpfLayout.PATH_FLAGS, 0);
        } else if (argument.flagsPointed()) {
            a.load(Size.DOUBLE, R3, R6, arg(args, argument.flagsIndex()));
            a.mov(R1, R9).alu(AluOp.ADD, R1, EbpfLayout.PATH_FLAGS).mov(R2, 8).call(Helper.PROBE_READ_USER);
            a.jump(JumpOp.JNE, R0, 0, skip);
        } else {
            a.load(Size.DOUBLE, R1, R6, arg(args, argument.flagsIndex())).store(Size.DOUBLE, R9, EbpfLayout.PATH_FLAGS, R1);
        }
        if (argument.access() == CallFacts.Access.OPEN) {
            a.load(Size.DOUBLE, R1, R9, EbpfLayout.PATH_FLAGS).alu(AluOp.AND, R1, OpenFlags.O_PATH);
            a.jump(JumpOp.JNE, R1, 0, skip);
        }
        Label read = a.newLabel();
        a.load(Size.DOUBLE, R3, R6, arg(args, argument.pathIndex()));
        a.mov(R1, R9).alu(AluOp.ADD, R1, EbpfLayout.PATH_TEXT).mov(R2, EbpfLayout.PATH_BYTES)
                .call(Helper.PROBE_READ_USER_STR);
        a.jump(JumpOp.JSGT, R0, 0, read).jump(skip);
        a.bind(read);
        insertIfAbsent(a, maps.paths(), R9, 0);
        a.bind(skip);
    }

    private void address(Assembler a, int args) {
        Label skip = a.newLabel();
        Label bounded = a.newLabel();
        scratch(a, skip);
        zero(a, R9, EbpfLayout.ADDRESS_TEXT, EbpfLayout.ADDRESS_KEY);
        a.store(Size.DOUBLE, R9, 0, R7).store(Size.WORD, R9, 8, R8);
        a.load(Size.DOUBLE, R2, R6, arg(args, 2)).mov32(R2, R2);
        a.jump(JumpOp.JLE, R2, EbpfLayout.ADDRESS_BYTES, bounded);
        a.mov(R2, EbpfLayout.ADDRESS_BYTES);
        a.bind(bounded);
        a.jump(JumpOp.JEQ, R2, 0, skip);
        a.store(Size.WORD, R9, EbpfLayout.ADDRESS_LENGTH, R2);
        a.load(Size.DOUBLE, R3, R6, arg(args, 1));
        a.mov(R1, R9).alu(AluOp.ADD, R1, EbpfLayout.ADDRESS_TEXT).call(Helper.PROBE_READ_USER);
        a.jump(JumpOp.JNE, R0, 0, skip);
        insertIfAbsent(a, maps.addresses(), R9, 0);
        a.bind(skip);
    }

    /** Adds the key at {@code base + offset} to the set {@code mapFd}, unless present (a lookup is cheaper than an update). */
    private static void insertIfAbsent(Assembler a, int mapFd, Register base, int offset) {
        Label present = a.newLabel();
        a.loadMap(R1, mapFd).mov(R2, base).alu(AluOp.ADD, R2, offset).call(Helper.MAP_LOOKUP_ELEM);
        a.jump(JumpOp.JNE, R0, 0, present);
        a.store(Size.DOUBLE, R10, ONE, EbpfLayout.SET_VALUE);
        a.loadMap(R1, mapFd).mov(R2, base).alu(AluOp.ADD, R2, offset).mov(R3, R10).alu(AluOp.ADD, R3, ONE)
                .mov(R4, (int) Bpf.ANY).call(Helper.MAP_UPDATE_ELEM);
        a.bind(present);
    }

    /** {@code sched/sched_process_fork}: the child joins its parent's component. */
    byte[] fork(Tracepoint tracepoint) {
        int child = tracepoint.offset("child_pid");
        Assembler a = new Assembler();
        Label out = a.newLabel();
        a.mov(R6, R1);
        trackedTask(a, out);
        a.load(Size.DOUBLE, R1, R0, 0).store(Size.DOUBLE, R10, -16, R1);
        a.load(Size.WORD, R1, R6, child).store(Size.WORD, R10, -20, R1);
        a.loadMap(R1, maps.tasks()).mov(R2, R10).alu(AluOp.ADD, R2, -20).mov(R3, R10).alu(AluOp.ADD, R3, -16)
                .mov(R4, (int) Bpf.ANY).call(Helper.MAP_UPDATE_ELEM);
        a.store(Size.DOUBLE, R10, ONE, EbpfLayout.SET_VALUE);
        a.loadMap(R1, maps.born()).mov(R2, R10).alu(AluOp.ADD, R2, -20).mov(R3, R10).alu(AluOp.ADD, R3, ONE)
                .mov(R4, (int) Bpf.ANY).call(Helper.MAP_UPDATE_ELEM);
        a.bind(out);
        return a.mov(R0, 0).exit().assemble();
    }

    /** {@code sched/sched_process_exec}: a new component, with the file it runs. */
    byte[] exec(Tracepoint tracepoint) {
        int filename = tracepoint.offset("filename");
        Assembler a = new Assembler();
        Label out = a.newLabel();
        Label notFirst = a.newLabel();
        a.mov(R6, R1);
        trackedTask(a, out);
        a.mov(R8, R0).load(Size.DOUBLE, R7, R8, 0);
        a.store(Size.WORD, R10, ZERO_KEY, 0);
        a.loadMap(R1, maps.sequence()).mov(R2, R10).alu(AluOp.ADD, R2, ZERO_KEY).call(Helper.MAP_LOOKUP_ELEM);
        a.jump(JumpOp.JEQ, R0, 0, out);
        a.mov(R1, 1).atomicFetchAdd(R0, 0, R1).alu(AluOp.ADD, R1, 1).mov32(R1, R1);
        a.store(Size.DOUBLE, R10, -16, R1);
        a.mov(R2, R7).alu(AluOp.RSH, R2, 32).alu(AluOp.LSH, R2, 32).alu(AluOp.OR, R1, R2).store(Size.DOUBLE, R8, 0, R1);
        scratch(a, out);
        zero(a, R9, EbpfLayout.EXEC_FILENAME, EbpfLayout.EXEC_VALUE);
        a.load(Size.WORD, R1, R10, TGID).store(Size.WORD, R9, 0, R1);
        a.store(Size.WORD, R9, EbpfLayout.EXEC_FIRST, 0);
        a.mov32(R7, R7).jump(JumpOp.JNE, R7, 0, notFirst);
        a.store(Size.WORD, R9, EbpfLayout.EXEC_FIRST, 1);
        a.bind(notFirst);
        // __data_loc: the low 16 bits are the string's offset in the record.
        a.load(Size.WORD, R3, R6, filename).alu(AluOp.AND, R3, 0xffff).alu(AluOp.ADD, R3, R6);
        a.mov(R1, R9).alu(AluOp.ADD, R1, EbpfLayout.EXEC_FILENAME).mov(R2, EbpfLayout.PATH_BYTES)
                .call(Helper.PROBE_READ_KERNEL_STR);
        a.loadMap(R1, maps.execs()).mov(R2, R10).alu(AluOp.ADD, R2, -16).mov(R3, R9).mov(R4, (int) Bpf.ANY)
                .call(Helper.MAP_UPDATE_ELEM);
        a.bind(out);
        return a.mov(R0, 0).exit().assemble();
    }

    /**
     * {@code sched/sched_process_exit}, per exiting thread: a thread's entry (made by the fork program) goes at once,
     * the tgid's when the group is dead. Kernels without {@code group_dead} drop the tgid when its leader exits.
     */
    byte[] exit(Tracepoint tracepoint) {
        OptionalInt groupDead = tracepoint.optionalOffset("group_dead");
        Assembler a = new Assembler();
        Label out = a.newLabel();
        Label leader = a.newLabel();
        a.mov(R6, R1);
        a.call(Helper.GET_CURRENT_PID_TGID).mov(R7, R0).alu(AluOp.RSH, R7, 32).mov32(R8, R0);
        a.jump(JumpOp.JEQ, R7, R8, leader);
        a.store(Size.WORD, R10, TGID, R8);
        a.loadMap(R1, maps.tasks()).mov(R2, R10).alu(AluOp.ADD, R2, TGID).call(Helper.MAP_DELETE_ELEM);
        a.bind(leader);
        if (groupDead.isPresent()) {
            a.load(Size.BYTE, R1, R6, groupDead.getAsInt()).jump(JumpOp.JEQ, R1, 0, out);
        } else {
            a.jump(JumpOp.JNE, R7, R8, out);
        }
        a.store(Size.WORD, R10, TGID, R7);
        a.loadMap(R1, maps.tasks()).mov(R2, R10).alu(AluOp.ADD, R2, TGID).call(Helper.MAP_DELETE_ELEM);
        a.bind(out);
        return a.mov(R0, 0).exit().assemble();
    }
}
