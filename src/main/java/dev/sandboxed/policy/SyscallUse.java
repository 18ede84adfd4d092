package dev.sandboxed.policy;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How one syscall was used by one component.
 *
 * @param count how many times it was called, over all runs
 * @param runsSeen in how many runs it appeared; fewer than the recording's run count marks a call that JIT, GC
 *     or timing only sometimes make, the usual cause of flaky recorded profiles
 * @param argumentValues for syscalls where an argument decides the risk (socket family, clone flags, ioctl
 *     request, ...), the distinct raw values seen, per argument index
 */
public record SyscallUse(long count, int runsSeen, SortedMap<Integer, SortedSet<Long>> argumentValues) {

    public SyscallUse {
        if (count < 0 || runsSeen < 0) {
            throw new IllegalArgumentException("count and runsSeen must not be negative");
        }
        SortedMap<Integer, SortedSet<Long>> copy = new TreeMap<>();
        Objects.requireNonNull(argumentValues, "argumentValues").forEach((index, values) ->
                copy.put(index, Collections.unmodifiableSortedSet(new TreeSet<>(values))));
        argumentValues = Collections.unmodifiableSortedMap(copy);
    }

    public static SyscallUse counted(long count) {
        return new SyscallUse(count, 1, new TreeMap<>());
    }

    public SyscallUse merge(SyscallUse other) {
        SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
        for (SyscallUse use : new SyscallUse[] {this, other}) {
            use.argumentValues.forEach((index, set) -> values.computeIfAbsent(index, i -> new TreeSet<>()).addAll(set));
        }
        return new SyscallUse(count + other.count, runsSeen + other.runsSeen, values);
    }
}
