package dev.sandboxed.syscall;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantsTest {

    private final Constants x86 = Constants.of(Arch.X86_64);
    private final Constants arm = Constants.of(Arch.AARCH64);

    /**
     * glibc's own headers are a second, independent source for the same values: the generator reads the kernel's
     * UAPI headers where it can, so agreement here means the two agree on what a program on this machine sees.
     */
    @Test
    void x86_64ValuesMatchWhatACProgramCompiledOnThisMachineSees() throws IOException {
        Gcc.assumeAvailable(java.nio.file.Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
                java.nio.file.Path.of("/usr/include/stdio.h"));
        String prelude = """
                #define _GNU_SOURCE
                #include <sys/socket.h>
                #include <netinet/in.h>
                #include <sched.h>
                #include <sys/mman.h>
                #include <fcntl.h>
                #include <sys/ioctl.h>
                #include <sys/prctl.h>
                #include <sys/personality.h>
                #include <signal.h>
                #include <errno.h>
                #include <linux/seccomp.h>
                #include <linux/futex.h>
                #include <sys/ptrace.h>
                #include <sys/mount.h>
                #include <termios.h>
                """;
        List<String> symbols = List.of("AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET", "AF_VSOCK",
                "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_SEQPACKET", "SOCK_NONBLOCK", "SOCK_CLOEXEC",
                "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_ICMPV6", "SOL_SOCKET", "SO_REUSEADDR", "MSG_NOSIGNAL",
                "CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD", "CLONE_NEWNS",
                "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_NEWIPC", "CLONE_NEWUTS", "CLONE_NEWCGROUP",
                "CLONE_NEWTIME", "CLONE_SETTLS", "CLONE_PARENT_SETTID", "CLONE_CHILD_CLEARTID", "CLONE_PIDFD",
                "PROT_READ", "PROT_WRITE", "PROT_EXEC", "PROT_NONE", "MAP_SHARED", "MAP_PRIVATE", "MAP_FIXED",
                "MAP_ANONYMOUS", "MAP_32BIT", "MAP_NORESERVE", "MAP_FIXED_NOREPLACE",
                "O_RDONLY", "O_WRONLY", "O_RDWR", "O_CREAT", "O_EXCL", "O_TRUNC", "O_APPEND", "O_NONBLOCK",
                "O_DIRECTORY", "O_NOFOLLOW", "O_CLOEXEC", "O_DIRECT", "O_PATH", "O_TMPFILE", "O_SYNC",
                "AT_FDCWD", "AT_SYMLINK_NOFOLLOW", "AT_REMOVEDIR", "AT_EMPTY_PATH",
                "TCGETS", "TCSETS", "TCSETSW", "TCSETSF", "TIOCGWINSZ", "TIOCSWINSZ", "FIONREAD", "FIONBIO",
                "FIOCLEX", "FIONCLEX", "TIOCSTI", "TIOCGPGRP", "TIOCSPGRP", "TIOCLINUX", "TIOCSCTTY", "TIOCNOTTY",
                "PR_SET_NO_NEW_PRIVS", "PR_SET_SECCOMP", "PR_SET_DUMPABLE", "PR_CAPBSET_DROP", "PR_SET_NAME",
                "PER_LINUX", "PER_LINUX32", "ADDR_NO_RANDOMIZE", "UNAME26", "READ_IMPLIES_EXEC",
                "F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL", "F_SETLK", "F_DUPFD_CLOEXEC",
                "F_ADD_SEALS", "F_SETPIPE_SZ", "SIGKILL", "SIGCHLD", "SIGSYS", "SIGTERM", "SIGUSR1", "SIGSEGV",
                "EPERM", "ENOENT", "EACCES", "ENOSYS", "EAGAIN", "EINVAL", "EFAULT", "ENOTSUP", "EOPNOTSUPP",
                "SECCOMP_RET_KILL_PROCESS", "SECCOMP_RET_ERRNO", "SECCOMP_RET_ALLOW", "SECCOMP_RET_TRACE",
                "SECCOMP_RET_USER_NOTIF", "SECCOMP_SET_MODE_FILTER", "SECCOMP_FILTER_FLAG_TSYNC",
                "FUTEX_WAIT", "FUTEX_WAKE_PRIVATE", "PTRACE_TRACEME", "PTRACE_ATTACH", "PTRACE_SEIZE",
                "MS_BIND", "MS_RDONLY", "MS_REC", "MNT_DETACH", "MNT_FORCE");
        Map<String, Long> expected = Gcc.values(prelude, symbols);
        List<String> wrong = new ArrayList<>();
        for (String symbol : symbols) {
            long value = x86.value(symbol).orElseThrow(() -> new AssertionError("missing " + symbol));
            if (value != expected.get(symbol)) {
                wrong.add(symbol + "=" + value + " but gcc says " + expected.get(symbol));
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aarch64DiffersWhereArm64HeadersDiffer() {
        assertEquals(040000, arm.value("O_DIRECTORY").orElseThrow());
        assertEquals(0100000, arm.value("O_NOFOLLOW").orElseThrow());
        assertEquals(0200000, arm.value("O_DIRECT").orElseThrow());
        assertEquals(0400000, arm.value("O_LARGEFILE").orElseThrow());
        assertEquals(020000000 | 040000, arm.value("O_TMPFILE").orElseThrow(), "derived from arm64's O_DIRECTORY");
        assertEquals(0200000, x86.value("O_DIRECTORY").orElseThrow());
        assertTrue(arm.value("MAP_32BIT").isEmpty());
        assertTrue(x86.value("PROT_BTI").isEmpty());
        assertEquals(0x10, arm.value("PROT_BTI").orElseThrow());
        assertTrue(arm.value("PTRACE_GETREGS").isEmpty());
        assertEquals(31, arm.value("PTRACE_SYSEMU").orElseThrow());
        for (String same : List.of("AF_INET", "CLONE_NEWUSER", "TCGETS", "EPERM", "SIGCHLD", "SIGSYS",
                "PR_SET_NO_NEW_PRIVS", "O_CLOEXEC", "SOCK_NONBLOCK", "AT_FDCWD", "MAP_ANONYMOUS")) {
            assertEquals(x86.value(same), arm.value(same), same);
        }
    }

    @Test
    void everyErrnoNameIsThereForErrnoActions() {
        for (Constants c : List.of(x86, arm)) {
            long errnos = c.symbols().stream().filter(s -> c.group(s).orElseThrow().equals("errno")).count();
            assertTrue(errnos > 130, "only " + errnos + " errno names");
            assertEquals(1, c.evaluate("EPERM"));
            assertEquals(38, c.evaluate("ENOSYS"));
            assertEquals(133, c.value("EHWPOISON").orElseThrow());
        }
    }

    @Test
    void evaluatesNamesNumbersAndOrs() {
        assertEquals(2, x86.evaluate("AF_INET"));
        assertEquals(2, x86.evaluate("2"));
        assertEquals(0x5401, x86.evaluate("0x5401"));
        assertEquals(-100, x86.evaluate("-100"));
        assertEquals(-100, x86.evaluate("AT_FDCWD"));
        assertEquals(0644, x86.evaluate("0644"));
        assertEquals(0x10000000L | 0x20000 | 0x20000000, x86.evaluate("CLONE_NEWUSER | CLONE_NEWNS|CLONE_NEWPID"));
        assertEquals(1 | 0x80000, x86.evaluate("SOCK_STREAM|SOCK_CLOEXEC"));
        assertEquals(-1L, x86.evaluate("0xffffffffffffffff"));
        assertEquals(1L << 32, x86.evaluate("CLONE_CLEAR_SIGHAND"));
    }

    @Test
    void unknownNamesAreTypedErrorsWithSuggestions() {
        UnknownConstantException e = assertThrows(UnknownConstantException.class, () -> x86.evaluate("AF_INTE"));
        assertEquals("AF_INTE", e.symbol());
        assertTrue(e.suggestions().contains("AF_INET"), e.suggestions().toString());
        assertTrue(e.getMessage().contains("AF_INTE") && e.getMessage().contains("AF_INET"), e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);

        UnknownConstantException armOnly = assertThrows(UnknownConstantException.class,
                () -> arm.evaluate("PROT_READ|MAP_32BIT"));
        assertTrue(armOnly.getMessage().contains("only on x86_64"), armOnly.getMessage());

        assertEquals(List.of("CLONE_NEWUSER"), x86.nearest("clone_newuser", 1));
        assertThrows(IllegalArgumentException.class, () -> x86.evaluate("AF_INET|"));
        assertThrows(IllegalArgumentException.class, () -> x86.evaluate("1+2"));
        assertThrows(IllegalArgumentException.class, () -> x86.evaluate("09"));
        assertThrows(IllegalArgumentException.class, () -> x86.evaluate("0x1ffffffffffffffff"));
    }

    @Test
    void describesArgumentsForReports() {
        assertEquals("AF_INET", x86.describe("socket", 0, 2).orElseThrow());
        assertEquals("AF_UNIX", x86.describe("socket", 0, 1).orElseThrow(), "primary name, not AF_LOCAL");
        assertEquals("SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC",
                x86.describe("socket", 1, x86.evaluate("SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC")).orElseThrow());
        assertEquals("SOCK_DGRAM", x86.describe("socket", 1, 2).orElseThrow());
        assertEquals("TCGETS", x86.describe("ioctl", 1, 0x5401).orElseThrow());
        assertEquals("FIONREAD", x86.describe("ioctl", 1, 0x541B).orElseThrow());
        assertEquals("TIOCSTI", x86.describe("ioctl", 1, x86.evaluate("TIOCSTI")).orElseThrow());
        long threadFlags = x86.evaluate("CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM"
                + "|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
        assertEquals("CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS"
                + "|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID", x86.describe("clone", 0, threadFlags).orElseThrow());
        assertEquals("CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD",
                x86.describe("clone", 0, x86.evaluate("CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD")).orElseThrow());
        assertEquals("SIGCHLD", x86.describe("clone", 0, 17).orElseThrow());
        assertEquals("PR_SET_NO_NEW_PRIVS", x86.describe("prctl", 0, 38).orElseThrow());
        assertEquals("SOL_SOCKET", x86.describe("setsockopt", 1, 1).orElseThrow(),
                "the level's own name first, not IPPROTO_ICMP, which shares the number");
        assertEquals("IPPROTO_IPV6", x86.describe("getsockopt", 1, 41).orElseThrow(), "IPPROTO where SOL has no name");
        assertEquals("PR_SET_PDEATHSIG", x86.describe("prctl", 0, 1).orElseThrow());
        assertEquals("PER_LINUX32", x86.describe("personality", 0, 8).orElseThrow());
        assertEquals("PER_LINUX|ADDR_NO_RANDOMIZE", x86.describe("personality", 0, 0x40000).orElseThrow());
        assertEquals("F_SETFD", x86.describe("fcntl", 1, 2).orElseThrow());
        assertEquals("F_DUPFD_CLOEXEC", x86.describe("fcntl", 1, 1030).orElseThrow());
        assertEquals("SIGKILL", x86.describe("kill", 1, 9).orElseThrow());
        assertEquals("PROT_READ|PROT_WRITE", x86.describe("mmap", 2, 3).orElseThrow());
        assertEquals("PROT_NONE", x86.describe("mprotect", 2, 0).orElseThrow());
        assertEquals("MAP_PRIVATE|MAP_ANONYMOUS", x86.describe("mmap", 3, 0x22).orElseThrow());
        assertEquals("O_RDONLY|O_CLOEXEC", x86.describe("openat", 2, 0x80000).orElseThrow());
        assertEquals("O_RDONLY|O_DIRECTORY|O_CLOEXEC",
                arm.describe("openat", 2, arm.evaluate("O_DIRECTORY|O_CLOEXEC")).orElseThrow());
        assertEquals("O_WRONLY|O_CREAT|O_TRUNC", x86.describe("openat", 2, 01101).orElseThrow());
        assertEquals("AT_FDCWD", x86.describe("openat", 0, -100).orElseThrow());
        assertEquals("AT_FDCWD", x86.describe("openat", 0, 0xffffff9cL).orElseThrow(), "int argument: low 32 bits");
        assertTrue(x86.describe("openat", 0, 3).isEmpty(), "an ordinary descriptor has no name");
        assertEquals("CLONE_NEWNS|CLONE_NEWUSER", x86.describe("unshare", 0, 0x10020000).orElseThrow());
        assertEquals("MAP_SHARED|0x800000000", x86.describe("mmap", 3, 0x800000001L).orElseThrow(), "unknown bits stay");
        assertEquals("BPF_PROG_LOAD", x86.describe("bpf", 0, 5).orElseThrow());
        assertEquals("SECCOMP_SET_MODE_FILTER", x86.describe("seccomp", 0, 1).orElseThrow());
        assertEquals("PTRACE_TRACEME", x86.describe("ptrace", 0, 0).orElseThrow());
        assertEquals("FUTEX_WAIT_PRIVATE", x86.describe("futex", 1, 128).orElseThrow());
        assertTrue(x86.describe("read", 0, 0).isEmpty());
        assertTrue(x86.describe("socket", 0, 9999).isEmpty());
    }

    @Test
    void everyAuthoredArgumentMeaningNamesARealSyscallArgumentAndMatchesSomeConstant() throws IOException {
        String text;
        try (var in = Constants.class.getResourceAsStream("argument-meanings.tsv")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        List<String> problems = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            String syscall = f[0];
            int index = Integer.parseInt(f[1]);
            java.util.regex.Pattern names = f.length > 4 ? java.util.regex.Pattern.compile(f[4]) : null;
            boolean somewhere = false;
            for (Constants c : List.of(x86, arm)) {
                SyscallTable table = SyscallTable.of(c.arch());
                if (!table.contains(syscall)) {
                    continue;
                }
                somewhere = true;
                if (index >= table.argumentTypes(syscall).orElseThrow().size()) {
                    problems.add(line + ": " + syscall + " has no argument " + index + " on " + c.arch().id());
                }
                long matching = c.symbols().stream()
                        .filter(s -> List.of(f[3].split(",")).contains(c.group(s).orElseThrow()))
                        .filter(s -> names == null || names.matcher(s).matches())
                        .count();
                if (matching == 0) {
                    problems.add(line + ": no " + c.arch().id() + " constant matches");
                }
            }
            if (!somewhere) {
                problems.add(line + ": no architecture has " + syscall);
            }
        }
        assertEquals(List.of(), problems);
    }
}
