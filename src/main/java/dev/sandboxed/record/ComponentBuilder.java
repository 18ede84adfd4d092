package dev.sandboxed.record;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.SyscallUse;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** What one executable did so far, in mutable form for the tracer thread; frozen by {@link #build()}. */
final class ComponentBuilder {

    private final String executable;
    private final Map<String, long[]> counts = new HashMap<>();
    private final Map<String, SortedMap<Integer, SortedSet<Long>>> arguments = new HashMap<>();
    private final SortedMap<String, EnumSet<FileAccess>> paths = new TreeMap<>();
    private final SortedSet<String> addresses = new TreeSet<>();

    ComponentBuilder(String executable) {
        this.executable = executable;
    }

    String executable() {
        return executable;
    }

    void count(String syscall) {
        long[] counter = counts.get(syscall);
        if (counter == null) {
            counts.put(syscall, new long[] {1});
        } else {
            counter[0]++;
        }
    }

    /** Adds {@code times} calls at once, as a recorder that counts in the kernel reports them. */
    void count(String syscall, long times) {
        counts.computeIfAbsent(syscall, s -> new long[1])[0] += times;
    }

    void argument(String syscall, int index, long value) {
        arguments.computeIfAbsent(syscall, s -> new TreeMap<>()).computeIfAbsent(index, i -> new TreeSet<>()).add(value);
    }

    void path(String path, FileAccess access) {
        paths.computeIfAbsent(path, p -> EnumSet.noneOf(FileAccess.class)).add(access);
    }

    void address(String address) {
        addresses.add(address);
    }

    Component build() {
        SortedMap<String, SyscallUse> syscalls = new TreeMap<>();
        counts.forEach((name, counter) -> syscalls.put(name,
                new SyscallUse(counter[0], 1, arguments.getOrDefault(name, new TreeMap<>()))));
        SortedMap<String, SortedSet<FileAccess>> pathAccess = new TreeMap<>();
        paths.forEach((path, access) -> pathAccess.put(path, new TreeSet<>(access)));
        return new Component(executable, syscalls, pathAccess, addresses);
    }
}
