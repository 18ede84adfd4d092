package dev.sandboxed.policy;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one program image did: the JVM, a {@code /bin/sh} it spawned, a helper binary. Each component is kept
 * apart so it can get its own least privilege.
 *
 * @param executable the path the program was executed from
 * @param syscalls per syscall name, how it was used
 * @param paths per file path, how it was accessed
 * @param addresses socket addresses, each prefixed by how it was used ({@code connect unix:/run/x.sock},
 *     {@code bind inet:0.0.0.0:8080})
 */
public record Component(String executable, SortedMap<String, SyscallUse> syscalls,
                        SortedMap<String, SortedSet<FileAccess>> paths, SortedSet<String> addresses) {

    public Component {
        Objects.requireNonNull(executable, "executable");
        syscalls = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(syscalls, "syscalls")));
        SortedMap<String, SortedSet<FileAccess>> pathCopy = new TreeMap<>();
        Objects.requireNonNull(paths, "paths").forEach((path, access) ->
                pathCopy.put(path, Collections.unmodifiableSortedSet(new TreeSet<>(access))));
        paths = Collections.unmodifiableSortedMap(pathCopy);
        addresses = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(addresses, "addresses")));
    }

    public Component merge(Component other) {
        if (!executable.equals(other.executable)) {
            throw new IllegalArgumentException("cannot merge " + executable + " with " + other.executable);
        }
        SortedMap<String, SyscallUse> mergedCalls = new TreeMap<>(syscalls);
        other.syscalls.forEach((name, use) -> mergedCalls.merge(name, use, SyscallUse::merge));
        SortedMap<String, SortedSet<FileAccess>> mergedPaths = new TreeMap<>();
        for (Component c : new Component[] {this, other}) {
            c.paths.forEach((path, access) -> mergedPaths.computeIfAbsent(path, p -> new TreeSet<>()).addAll(access));
        }
        SortedSet<String> mergedAddresses = new TreeSet<>(addresses);
        mergedAddresses.addAll(other.addresses);
        return new Component(executable, mergedCalls, mergedPaths, mergedAddresses);
    }
}
