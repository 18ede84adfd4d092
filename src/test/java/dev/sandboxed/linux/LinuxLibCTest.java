package dev.sandboxed.linux;

import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinuxLibCTest {

    private final Linux linux = Linux.load();
    private final LinuxLibC libc = linux.libc();

    @Test
    void unameNamesTheArchitectureThisJvmRunsOn() {
        Utsname uname = libc.uname();
        assertEquals("Linux", uname.sysname());
        assertEquals(linux.arch(), Arch.fromId(uname.machine()).orElseThrow());
        assertEquals(System.getProperty("os.version"), uname.release());
    }

    @Test
    void processAndThreadIdsAreTheKernels() throws Exception {
        assertEquals(ProcessHandle.current().pid(), libc.getpid());
        AtomicInteger tid = new AtomicInteger();
        Thread thread = new Thread(() -> tid.set(libc.gettid()));
        thread.start();
        thread.join();
        assertNotEquals(libc.getpid(), tid.get());
        assertTrue(tid.get() > 0);
    }

    @Test
    void failuresCarryErrnoAndItsName() {
        LinuxException e = assertThrows(LinuxException.class, () -> libc.close(-1));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("EBADF", e.errnoName());
        assertTrue(e.getMessage().startsWith("close(-1): EBADF ("), e.getMessage());
        LinuxException none = assertThrows(LinuxException.class, () -> libc.waitpid(-1, Wait.WNOHANG | Wait.WNOTHREAD));
        assertEquals(Errno.ECHILD, none.errno());
    }

    @Test
    void pipeCarriesBytes() {
        Pipe pipe = libc.pipe2(OpenFlags.O_CLOEXEC);
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        assertEquals(5, libc.write(pipe.writeFd(), hello, hello.length));
        libc.close(pipe.writeFd());
        byte[] in = new byte[16];
        assertEquals(5, libc.read(pipe.readFd(), in, in.length));
        assertEquals(0, libc.read(pipe.readFd(), in, in.length));
        libc.close(pipe.readFd());
    }

    @Test
    void spawnedChildGetsPipesAndItsExitStatusIsReported() {
        Pipe out = libc.pipe2(OpenFlags.O_CLOEXEC);
        int pid = libc.posixSpawn("/bin/sh", List.of(SpawnAction.dup2(out.writeFd(), 1), SpawnAction.chdir("/")),
                SpawnAttributes.standard(), List.of("sh", "-c", "pwd; exit 3"), List.of("PATH=/usr/bin:/bin"));
        libc.close(out.writeFd());
        byte[] buffer = new byte[64];
        int n = libc.read(out.readFd(), buffer, buffer.length);
        libc.close(out.readFd());
        assertEquals("/\n", new String(buffer, 0, n, StandardCharsets.US_ASCII));
        WaitStatus status = libc.waitpid(pid, 0);
        assertEquals(pid, status.pid());
        assertTrue(status.exited());
        assertEquals(3, status.exitCode());
    }

    @Test
    void signalledChildReportsItsSignal() {
        int pid = libc.posixSpawn("/bin/sleep", List.of(), SpawnAttributes.standard(), List.of("sleep", "30"), List.of());
        libc.kill(pid, Signals.SIGTERM);
        WaitStatus status = libc.waitpid(pid, 0);
        assertTrue(status.signaled());
        assertEquals(Signals.SIGTERM, status.terminationSignal());
        assertEquals(128 + 15, status.shellExitStatus());
        assertEquals("SIGTERM", Signals.name(status.terminationSignal()));
    }

    @Test
    void waitidReportsExitCodes() {
        int pid = libc.posixSpawn("/bin/sh", List.of(), SpawnAttributes.standard(), List.of("sh", "-c", "exit 7"), List.of());
        ChildEvent event = libc.waitid(Wait.P_PID, pid, Wait.WEXITED);
        assertEquals(pid, event.pid());
        assertEquals(ChildEvent.CLD_EXITED, event.code());
        assertEquals(7, event.status());
    }

    @Test
    void affinityRoundTrips() throws Exception {
        Thread thread = new Thread(() -> {
            BitSet all = libc.schedGetaffinity(0);
            assertFalse(all.isEmpty());
            BitSet one = new BitSet();
            one.set(all.nextSetBit(0));
            libc.schedSetaffinity(0, one);
            assertEquals(one, libc.schedGetaffinity(0));
            assertEquals(one.nextSetBit(0), libc.schedGetcpu());
        });
        thread.start();
        thread.join();
    }

    @Test
    void seccompActionsAreQueriedFromTheKernel() {
        Assumptions.assumeTrue(ProcStatus.self().seccompMode() != 1, "strict seccomp mode allows no seccomp() call");
        assertTrue(libc.seccompActionAvailable(Seccomp.RET_TRACE));
        assertTrue(libc.seccompActionAvailable(Seccomp.RET_ALLOW));
        assertTrue(libc.seccompActionAvailable(Seccomp.RET_KILL_PROCESS));
        assertFalse(libc.seccompActionAvailable(0x7ff10000), "an action between TRACE and LOG does not exist");
        SeccompNotifSizes sizes = libc.seccompNotifSizes();
        assertEquals(64, sizes.data(), "struct seccomp_data is 64 bytes on every architecture");
        assertTrue(sizes.notification() >= 80 && sizes.response() >= 24, sizes.toString());
    }

    @Test
    void landlockAbiIsReported() {
        int abi = libc.landlockAbiVersion();
        if (abi == 0) {
            System.out.println("Landlock ABI query skipped: this kernel has no Landlock");
        }
        Assumptions.assumeTrue(abi > 0, "kernel without Landlock");
        int ruleset = libc.landlockCreateRuleset(Landlock.fsAccessForAbi(abi), 0, 0);
        int fd = libc.open("/usr", OpenFlags.O_PATH | OpenFlags.O_CLOEXEC, 0);
        libc.landlockAddPathBeneath(ruleset, Landlock.EXECUTE, fd);
        libc.close(fd);
        libc.close(ruleset);
        LinuxException unknownRight = assertThrows(LinuxException.class,
                () -> libc.landlockCreateRuleset(1L << 62, 0, 0));
        assertEquals(Errno.EINVAL, unknownRight.errno());
    }

    @Test
    void prctlReadsThisProcessState() {
        assertEquals(ProcStatus.self().noNewPrivs() ? 1 : 0, libc.prctl(Prctl.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        assertEquals(ProcStatus.self().seccompMode(), libc.prctl(Prctl.PR_GET_SECCOMP, 0, 0, 0, 0));
    }

    @Test
    void pidfdOpensAChildAndDuplicatesItsDescriptor() {
        int pid = libc.posixSpawn("/bin/sleep", List.of(), SpawnAttributes.standard(), List.of("sleep", "30"), List.of());
        try {
            int pidfd = libc.pidfdOpen(pid, 0);
            int stdin = libc.pidfdGetfd(pidfd, 0, 0);
            assertTrue(stdin > 2);
            libc.close(stdin);
            libc.close(pidfd);
        } finally {
            libc.kill(pid, Signals.SIGKILL);
            libc.waitpid(pid, 0);
        }
    }

    @Test
    void syscallNumbersComeFromTheTable() {
        assertEquals(linux.syscalls().number("seccomp").orElseThrow(), linux.syscallNumber("seccomp"));
        assertThrows(UnsupportedArchitectureException.class, () -> linux.syscallNumber("no_such_call"));
    }
}
