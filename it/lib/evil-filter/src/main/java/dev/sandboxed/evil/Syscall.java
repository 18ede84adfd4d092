package dev.sandboxed.evil;

/** The numbers of the calls the payload makes directly, on the two architectures the plugin supports. */
enum Syscall {
    PTRACE(101, 117),
    MOUNT(165, 40),
    UNSHARE(272, 97),
    SETNS(308, 268),
    INIT_MODULE(175, 105),
    KEYCTL(250, 219),
    BPF(321, 280),
    USERFAULTFD(323, 282),
    PERF_EVENT_OPEN(298, 241),
    GETPID(39, 172);

    private final long x86_64;
    private final long aarch64;

    Syscall(long x86_64, long aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = aarch64;
    }

    long number() {
        return RawSyscall.isX86() ? x86_64 : aarch64;
    }
}
