package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Small recordings built in code for the format and generator tests. */
final class Recordings {

    private Recordings() {
    }

    static SyscallUse use(long count, int runs, Map<Integer, Set<Long>> values) {
        SortedMap<Integer, SortedSet<Long>> sorted = new TreeMap<>();
        values.forEach((index, set) -> sorted.put(index, new TreeSet<>(set)));
        return new SyscallUse(count, runs, sorted);
    }

    static Component component(String executable, Map<String, SyscallUse> syscalls) {
        SortedMap<String, SortedSet<FileAccess>> paths = new TreeMap<>();
        paths.put("/etc/hosts", new TreeSet<>(Set.of(FileAccess.READ)));
        paths.put("/tmp/out", new TreeSet<>(Set.of(FileAccess.CREATE, FileAccess.WRITE)));
        return new Component(executable, new TreeMap<>(syscalls), paths, new TreeSet<>(Set.of("connect unix:/run/x.sock")));
    }

    /** A JVM and a shell it spawned, recorded in two runs on x86_64. */
    static Recording javaApp() {
        Component java = component("/usr/bin/java", Map.of(
                "read", use(1234, 2, Map.of()),
                "socket", use(4, 2, Map.of(0, Set.of(1L, 10L))),
                "ioctl", use(3, 1, Map.of(1, Set.of(0x5401L))),
                "clone", use(40, 2, Map.of(0, Set.of(0x3d0f00L))),
                "mmap", use(900, 2, Map.of(2, Set.of(1L, 3L, 5L))),
                "mprotect", use(50, 2, Map.of(2, Set.of(1L, 3L))),
                "kill", use(1, 1, Map.of(1, Set.of(15L))),
                "open", use(30, 2, Map.of()),
                "prctl", use(2, 2, Map.of())));
        Component shell = component("/bin/sh", Map.of(
                "read", use(10, 1, Map.of()),
                "clone", use(1, 1, Map.of(0, Set.of(0x1200011L)))));
        SortedMap<String, Component> byExe = new TreeMap<>(Map.of(java.executable(), java, shell.executable(), shell));
        return new Recording(List.of(
                new Run("java -jar app.jar", 0, "", 1200, false, "ptrace"),
                new Run("java -jar app.jar --fast", 143, "SIGTERM", 800, true, "ptrace")),
                new TreeMap<>(Map.of(Arch.X86_64, byExe)));
    }
}
