package dev.sandboxed.bpf;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How many instructions a program runs per syscall, found by running it in the {@link Simulator} on the right
 * architecture with zero arguments. The cost of a filter is paid on every call the kernel does not cache, so the
 * build log and the benchmark report these figures beside the program length.
 */
public final class PathAnalysis {

    private final Program program;
    private final Arch arch;
    private final SyscallTable table;
    private final int worst;
    private final long worstNumber;

    private PathAnalysis(Program program, Arch arch) {
        this.program = program;
        this.arch = arch;
        this.table = SyscallTable.of(arch);
        int most = -1;
        long mostAt = -1;
        for (long nr : probes()) {
            int executed = executed((int) nr);
            if (executed > most) {
                most = executed;
                mostAt = nr;
            }
        }
        this.worst = most;
        this.worstNumber = mostAt;
    }

    public static PathAnalysis of(Program program, Arch arch) {
        return new PathAnalysis(Objects.requireNonNull(program, "program"), Objects.requireNonNull(arch, "arch"));
    }

    /**
     * Numbers on which the path can change: every number the table knows and one past it, each constant the
     * program compares with and its neighbours, and the corners of the x32 range and of {@code -1}.
     */
    private TreeSet<Long> probes() {
        TreeSet<Long> probes = new TreeSet<>();
        for (long nr = 0; nr <= table.maxNumber() + 1L; nr++) {
            probes.add(nr);
        }
        for (Instruction insn : program.instructions()) {
            if (insn.isConditionalJump() && Opcodes.source(insn.code()) == Opcodes.K) {
                long k = Integer.toUnsignedLong(insn.k());
                for (long nr = k - 1; nr <= k + 1; nr++) {
                    if (nr >= 0 && nr <= NumberRange.MAX) {
                        probes.add(nr);
                    }
                }
            }
        }
        for (long corner : new long[] {0x3fff_ffffL, 0x4000_0000L, 0x7fff_ffffL, 0x8000_0000L, 0xbfff_ffffL,
                0xc000_0000L, 0xffff_fffeL, 0xffff_ffffL}) {
            probes.add(corner);
        }
        return probes;
    }

    public int length() {
        return program.length();
    }

    /** The most instructions run for any syscall number, the arch check and the return included. */
    public int worst() {
        return worst;
    }

    /** A number that takes {@link #worst()} instructions, unsigned. */
    public long worstNumber() {
        return worstNumber;
    }

    /**
     * The most instructions run for any of these syscalls, the arch check and the return included: on an
     * allow-list, the cost the listed calls can pay, while {@link #worst()} also counts numbers the policy denies.
     *
     * @throws IllegalArgumentException when the table knows none of the names
     */
    public int worst(Collection<String> syscalls) {
        Objects.requireNonNull(syscalls, "syscalls");
        int most = -1;
        for (String name : syscalls) {
            OptionalInt nr = table.number(name);
            if (nr.isPresent()) {
                most = Math.max(most, executed(nr.getAsInt()));
            }
        }
        if (most < 0) {
            throw new IllegalArgumentException("no syscall of " + syscalls + " is known on " + arch.id());
        }
        return most;
    }

    public int executed(int nr) {
        return Simulator.run(program, SeccompData.of(arch, nr)).executed();
    }

    /**
     * The mean instructions per call when syscalls occur with these frequencies; names the table does not know
     * and zero counts are left out.
     *
     * @throws IllegalArgumentException when no name carries weight
     */
    public double weighted(Map<String, Long> frequencies) {
        Objects.requireNonNull(frequencies, "frequencies");
        double sum = 0;
        double total = 0;
        for (Map.Entry<String, Long> entry : new TreeMap<>(frequencies).entrySet()) {
            OptionalInt nr = table.number(entry.getKey());
            long weight = entry.getValue();
            if (nr.isPresent() && weight > 0) {
                sum += (double) weight * executed(nr.getAsInt());
                total += weight;
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("no syscall known on " + arch.id() + " has a positive frequency");
        }
        return sum / total;
    }
}
