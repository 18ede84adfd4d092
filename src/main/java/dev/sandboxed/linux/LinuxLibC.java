package dev.sandboxed.linux;

import java.util.BitSet;
import java.util.List;

/**
 * The C library, as the sandbox uses it: plain Java types in, records out, and a {@link LinuxException} with
 * the errno for every failure (so there is no "check the return value" convention to forget). System calls
 * glibc has no wrapper for (seccomp, Landlock, pidfd) go through {@code syscall(2)} with the numbers of the
 * running architecture's {@link dev.sandboxed.syscall.SyscallTable}.
 *
 * <p>Obtain it from {@link Linux#libc()}. Calls are thread-safe; ptrace calls must come from the thread that is
 * the tracer, as the kernel ties a tracee to one thread.
 */
public interface LinuxLibC {

    int getpid();

    int gettid();

    /** {@code prctl(2)}; returns its non-negative result. */
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** {@code ptrace(2)} for requests whose data is a number (or unused); returns the call's result. */
    long ptrace(int request, int tid, long address, long data);

    /** {@code PTRACE_GET_SYSCALL_INFO}: which syscall a stopped tracee is in, and through which ABI. */
    SyscallInfo ptraceGetSyscallInfo(int tid);

    /** {@code PTRACE_GETEVENTMSG}: the new child of a fork event, the former thread id of an exec event. */
    long ptraceGetEventMessage(int tid);

    /** The stopped tracee's general-purpose registers ({@code struct user_regs_struct}), as 64-bit words. */
    long[] ptraceGetRegisters(int tid);

    /** Replaces the stopped tracee's general-purpose registers with {@code registers}, as read by {@link #ptraceGetRegisters}. */
    void ptraceSetRegisters(int tid, long[] registers);

    /** {@code waitpid(2)}; a {@link WaitStatus} with pid 0 when {@link Wait#WNOHANG} found nothing. */
    WaitStatus waitpid(int pid, int options);

    /** {@code waitid(2)}; a {@link ChildEvent} with pid 0 when {@link Wait#WNOHANG} found nothing. */
    ChildEvent waitid(int idType, int id, int options);

    void kill(int pid, int signal);

    void tgkill(int tgid, int tid, int signal);

    /**
     * {@code process_vm_readv(2)} of one range; returns how many bytes were read, which is less than asked
     * when the range runs into an unmapped page.
     */
    int processVmReadv(int pid, long remoteAddress, byte[] into, int length);

    Pipe pipe2(int flags);

    /** Reads into {@code buffer[0..length)}; returns 0 at end of file. */
    int read(int fd, byte[] buffer, int length);

    int write(int fd, byte[] buffer, int length);

    void close(int fd);

    int open(String path, int flags, int mode);

    int fcntl(int fd, int command, long argument);

    /** {@code execve(2)}: replaces this process, so it only ever returns by throwing. */
    void execve(String path, List<String> argv, List<String> environment);

    /**
     * {@code posix_spawn(3)} from the calling thread, so that the child's parent is this very thread (what
     * ptrace and {@code waitpid(..., __WNOTHREAD)} key on).
     *
     * @return the child's pid
     */
    int posixSpawn(String path, List<SpawnAction> fileActions, SpawnAttributes attributes, List<String> argv,
                   List<String> environment);

    /** Pins a thread ({@code 0}: the caller) to the given CPUs. */
    void schedSetaffinity(int tid, BitSet cpus);

    BitSet schedGetaffinity(int tid);

    int schedGetcpu();

    Utsname uname();

    int pidfdOpen(int pid, int flags);

    /** Duplicates file descriptor {@code targetFd} of the process behind {@code pidfd} into this process. */
    int pidfdGetfd(int pidfd, int targetFd, int flags);

    /**
     * {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)} with the raw little-endian {@code struct
     * sock_filter} array {@code program}.
     *
     * @return 0; the listener fd with {@link Seccomp#FILTER_FLAG_NEW_LISTENER}; with
     *     {@link Seccomp#FILTER_FLAG_TSYNC} alone, a positive thread id means that thread could not be synchronised
     *     and nothing was installed
     */
    int seccompSetModeFilter(int flags, byte[] program);

    /** {@code SECCOMP_GET_ACTION_AVAIL}: whether this kernel knows a filter return action. */
    boolean seccompActionAvailable(int action);

    /**
     * Installs {@code program} on the calling thread only, then {@code execve(2)}s: every argument is converted to
     * native memory first, so between the filter and the exec this thread makes no other system call that the
     * filter could refuse. Other threads stay unfiltered, which is safe because the exec ends them; that is also
     * why TSYNC is not used, as it would subject this JVM's GC and compiler threads to a policy written for the
     * command. Returns only by throwing.
     */
    void execveUnderFilter(int seccompFlags, byte[] program, String path, List<String> argv, List<String> environment);

    SeccompNotifSizes seccompNotifSizes();

    /** The Landlock ABI version, or 0 when the kernel has no Landlock or it is disabled at boot. */
    int landlockAbiVersion();

    /** A ruleset fd handling exactly these rights (pass 0 for net or scoped on ABIs without them). */
    int landlockCreateRuleset(long handledAccessFs, long handledAccessNet, long scoped);

    /** Allows {@code allowedAccess} beneath the file or directory open as {@code parentFd} (an O_PATH fd). */
    void landlockAddPathBeneath(int rulesetFd, long allowedAccess, int parentFd);

    /** Enforces the ruleset on the calling thread; needs no_new_privs or CAP_SYS_ADMIN. */
    void landlockRestrictSelf(int rulesetFd);
}
