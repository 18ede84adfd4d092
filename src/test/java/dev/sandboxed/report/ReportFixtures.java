package dev.sandboxed.report;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.DockerProfile;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyDiff;
import dev.sandboxed.policy.PolicyFormat;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.PolicyMerge;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Run;
import dev.sandboxed.policy.SyscallUse;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A realistic report input: a JVM that spawns gzip, recorded in three runs on x86_64; the policy {@code profile}
 * makes of it merged with a committed policy that still allows ptrace; two violations from verification; Docker's
 * default profile from the shared corpus when present.
 */
final class ReportFixtures {

    static final String COMMITTED = """
            {
              "schemaVersion": 1,
              "defaultAction": "errno(EPERM)",
              "architectures": ["aarch64", "x86_64"],
              "baseArchitecture": "x86_64",
              "rules": [
                {"syscall": "ptrace", "action": "allow", "reason": "async-profiler attaches to the JVM in the load test"},
                {"syscall": "read", "action": "allow", "reason": "recorded: 9000 calls in 1/1 runs by /usr/bin/java"},
                {"syscall": "socket", "if": ["arg0 == AF_UNIX"], "action": "allow", "reason": "recorded: 2 calls in 1/1 runs by /usr/bin/java"},
                {"syscall": "write", "action": "allow", "reason": "recorded: 2000 calls in 1/1 runs by /usr/bin/java"}
              ]
            }
            """;

    private ReportFixtures() {
    }

    static ReportInput realistic() {
        Recording recording = recording();
        Policy generated = PolicyGenerator.generate(recording,
                new PolicyGenerator.Options(Action.errno(1), EnumSet.allOf(Arch.class))).policy();
        Policy committed = PolicyFormat.parse(Path.of("src/main/sandbox/policy.json"), COMMITTED).policy();
        Policy policy = PolicyMerge.merge(generated, committed);
        ReportInput input = ReportInput.of("edf-normalizer", policy)
                .withRecording(recording)
                .withDiff(PolicyDiff.between(committed, policy))
                .withViolations(violations())
                .withWarnings(List.of("run 3 (java -jar app.jar --batch) took 41.2 s, longer than the others"))
                .withGeneratedAt("build 1842");
        return dockerDefault().map(input::withDockerDefault).orElse(input);
    }

    /** Docker's default profile from the shared corpus, or empty (with the reason printed) when it is absent. */
    static Optional<Policy> dockerDefault() {
        String shared = System.getProperty("shared.dir");
        Path file = shared == null ? null : Path.of(shared, "corpus", "docker-default.json");
        if (file == null || !Files.isRegularFile(file)) {
            System.out.println("Docker comparison left out: " + (file == null ? "system property shared.dir is not set"
                    : file + " does not exist"));
            return Optional.empty();
        }
        return Optional.of(DockerProfile.read(file).policy());
    }

    static List<ReportViolation> violations() {
        Rule netlink = Rule.of("socket", Action.allow(), "verify: 2 calls by /usr/bin/java",
                Condition.of(0, Operator.EQ, 16, Width.BITS32));
        Rule userfaultfd = Rule.allow("userfaultfd", "verify: 1 call by /usr/bin/java");
        return List.of(
                new ReportViolation("x86_64", "/usr/bin/java", "userfaultfd", 323, "errno", 1,
                        values(Map.of(0, new long[] {0x80800})), PolicyFormat.line(Arch.X86_64, userfaultfd)),
                new ReportViolation("x86_64", "/usr/bin/java", "socket", 41, "errno", 2,
                        values(Map.of(0, new long[] {16}, 1, new long[] {0x80003}, 2, new long[] {0})),
                        PolicyFormat.line(Arch.X86_64, netlink)));
    }

    static Recording recording() {
        Component java = component("/usr/bin/java", Map.ofEntries(
                use("read", 18234, 3), use("write", 5120, 3),
                use("openat", 1480, 3, 0, new long[] {-100}, 2, new long[] {0x80000, 0x80241, 0x90800}),
                use("close", 1502, 3), use("fstat", 1320, 3),
                use("newfstatat", 890, 3, 0, new long[] {-100}, 3, new long[] {0, 0x100}),
                use("lseek", 240, 3), use("pread64", 600, 3), use("readlink", 10, 3), use("getcwd", 2, 3),
                use("getdents64", 40, 3), use("fsync", 4, 3), use("ftruncate", 2, 3), use("unlink", 1, 2),
                use("mkdir", 1, 3), use("statfs", 2, 3), use("dup2", 3, 3), use("access", 14, 3),
                use("ioctl", 6, 3, 1, new long[] {0x5401, 0x541b}),
                use("fcntl", 120, 3, 1, new long[] {1, 2, 3, 4}),
                use("poll", 700, 3), use("epoll_wait", 1200, 2), use("epoll_ctl", 30, 2), use("epoll_create1", 2, 2),
                use("mmap", 2400, 3, 2, new long[] {0, 1, 3, 5}), use("mprotect", 640, 3, 2, new long[] {0, 1, 3, 5}),
                use("munmap", 410, 3), use("brk", 12, 3), use("madvise", 88, 3, 2, new long[] {4, 14}),
                use("membarrier", 2, 3), use("rt_sigaction", 64, 3), use("rt_sigprocmask", 210, 3),
                use("rt_sigreturn", 4, 1), use("clone", 1, 3, 0, new long[] {0x4111}),
                use("clone3", 46, 3), use("execve", 1, 3), use("wait4", 1, 3), use("exit", 48, 3),
                use("exit_group", 1, 3), use("tgkill", 2, 1, 2, new long[] {3}), use("getpid", 3, 3),
                use("gettid", 60, 3), use("getuid", 2, 3), use("prctl", 40, 3, 0, new long[] {15}),
                use("sched_getaffinity", 30, 3), use("sched_yield", 920, 3), use("set_robust_list", 48, 3),
                use("rseq", 48, 3), use("set_tid_address", 1, 3), use("prlimit64", 6, 3, 1, new long[] {7}),
                use("futex", 52310, 3, 1, new long[] {128, 129, 137}), use("pipe2", 2, 3, 1, new long[] {0x80000}),
                use("socket", 6, 3, 0, new long[] {1, 10}, 1, new long[] {0x80001, 0x80801}),
                use("connect", 6, 3), use("bind", 1, 3), use("listen", 1, 3), use("accept4", 120, 3),
                use("setsockopt", 18, 3, 1, new long[] {1, 6, 41}), use("getsockopt", 12, 3, 1, new long[] {1}),
                use("getsockname", 4, 3), use("getpeername", 2, 3), use("sendto", 340, 3), use("recvfrom", 390, 3),
                use("shutdown", 2, 3), use("clock_getres", 4, 3), use("clock_nanosleep", 120, 3, 0, new long[] {1}),
                use("nanosleep", 30, 2), use("uname", 2, 3), use("sysinfo", 4, 3), use("getrandom", 3, 3)),
                paths(Map.of(
                        "/usr/lib/jvm/java-17-openjdk-amd64/lib/modules", List.of(FileAccess.READ),
                        "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
                        List.of(FileAccess.READ, FileAccess.EXECUTE),
                        "/etc/hosts", List.of(FileAccess.READ),
                        "/etc/resolv.conf", List.of(FileAccess.READ),
                        "/app/app.jar", List.of(FileAccess.READ),
                        "/app/data/input.edf", List.of(FileAccess.READ),
                        "/app/out/normalized.edf", List.of(FileAccess.CREATE, FileAccess.WRITE),
                        "/tmp/hsperfdata_app/4242", List.of(FileAccess.CREATE, FileAccess.WRITE, FileAccess.DELETE),
                        "/sys/fs/cgroup/cpu.max", List.of(FileAccess.READ),
                        "/usr/bin/gzip", List.of(FileAccess.EXECUTE))),
                List.of("bind inet:0.0.0.0:8080", "connect inet:127.0.0.1:5432", "connect unix:/var/run/nscd/socket"));
        Component gzip = component("/usr/bin/gzip", Map.ofEntries(
                use("execve", 1, 3), use("brk", 4, 3), use("arch_prctl", 1, 3),
                use("mmap", 12, 3, 2, new long[] {1, 3, 5}), use("mprotect", 4, 3, 2, new long[] {1}),
                use("munmap", 2, 3), use("openat", 6, 3, 0, new long[] {-100}, 2, new long[] {0x80000, 0xc1}),
                use("close", 8, 3), use("fstat", 6, 3), use("read", 812, 3), use("write", 1630, 3), use("lseek", 2, 3),
                use("rt_sigaction", 10, 3), use("ioctl", 1, 3, 1, new long[] {0x5401}), use("fchmod", 1, 3),
                use("fchown", 1, 3), use("utimensat", 1, 3), use("unlinkat", 1, 3, 0, new long[] {-100}),
                use("newfstatat", 4, 3, 0, new long[] {-100}), use("exit_group", 1, 3), use("getrandom", 1, 3),
                use("prlimit64", 1, 3, 1, new long[] {3}), use("rseq", 1, 3), use("set_tid_address", 1, 3),
                use("set_robust_list", 1, 3), use("pread64", 4, 3), use("access", 1, 3)),
                paths(Map.of(
                        "/app/out/normalized.edf", List.of(FileAccess.READ, FileAccess.DELETE),
                        "/app/out/normalized.edf.gz", List.of(FileAccess.CREATE, FileAccess.WRITE),
                        "/lib/x86_64-linux-gnu/libc.so.6", List.of(FileAccess.READ, FileAccess.EXECUTE),
                        "/etc/ld.so.cache", List.of(FileAccess.READ))),
                List.of());
        SortedMap<String, Component> byExe = new TreeMap<>(Map.of(java.executable(), java, gzip.executable(), gzip));
        return new Recording(List.of(
                new Run("java -jar app.jar --input data/input.edf", 0, "", 2140, false, "ptrace"),
                new Run("java -jar app.jar --input data/input.edf --threads 8", 0, "", 1870, false, "ptrace"),
                new Run("java -jar app.jar --batch", 0, "", 41_200, false, "ptrace")),
                new TreeMap<>(Map.of(Arch.X86_64, byExe)));
    }

    static Component component(String executable, Map<String, SyscallUse> syscalls,
                               SortedMap<String, SortedSet<FileAccess>> paths, List<String> addresses) {
        return new Component(executable, new TreeMap<>(syscalls), paths, new TreeSet<>(addresses));
    }

    /** A use; {@code indexAndValues} alternates an argument index and the values it had. */
    static Map.Entry<String, SyscallUse> use(String name, long count, int runs, Object... indexAndValues) {
        SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
        for (int i = 0; i < indexAndValues.length; i += 2) {
            SortedSet<Long> set = new TreeSet<>();
            Arrays.stream((long[]) indexAndValues[i + 1]).forEach(set::add);
            values.put((Integer) indexAndValues[i], set);
        }
        return Map.entry(name, new SyscallUse(count, runs, values));
    }

    static SortedMap<Integer, SortedSet<Long>> values(Map<Integer, long[]> raw) {
        SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
        raw.forEach((index, array) -> {
            SortedSet<Long> set = new TreeSet<>();
            Arrays.stream(array).forEach(set::add);
            values.put(index, set);
        });
        return values;
    }

    private static SortedMap<String, SortedSet<FileAccess>> paths(Map<String, List<FileAccess>> raw) {
        SortedMap<String, SortedSet<FileAccess>> paths = new TreeMap<>();
        raw.forEach((path, access) -> paths.put(path, new TreeSet<>(access)));
        return paths;
    }
}
