package dev.sandboxed.linux;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.Locale;
import java.util.Objects;

/**
 * The native access entry point: create it once with {@link #load()} and pass it to whatever needs the kernel.
 * Nothing else in the project touches JNA, so a JVM or platform without it fails here, once, with a clear
 * message, instead of deep inside a tracer.
 */
public final class Linux {

    private final Arch arch;
    private final SyscallTable syscalls;
    private final LinuxLibC libc;
    private final JnaBpf bpf;

    private Linux(Arch arch, SyscallTable syscalls, LinuxLibC libc) {
        this.arch = arch;
        this.syscalls = syscalls;
        this.libc = libc;
        this.bpf = new JnaBpf(syscalls);
    }

    /**
     * Binds libc for the architecture this JVM runs on.
     *
     * @throws UnsupportedArchitectureException when this is not Linux on an architecture with a syscall table
     */
    public static Linux load() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new UnsupportedArchitectureException("the sandbox needs Linux (seccomp, ptrace, Landlock); this is " + os);
        }
        String osArch = System.getProperty("os.arch", "");
        Arch arch = Arch.current().orElseThrow(() -> new UnsupportedArchitectureException(
                "unsupported architecture " + osArch + ": the sandbox knows x86_64 and aarch64"));
        SyscallTable table = SyscallTable.of(arch);
        return new Linux(arch, table, new JnaLinuxLibC(table));
    }

    /** The architecture of this JVM, and so of the syscalls it makes. */
    public Arch arch() {
        return arch;
    }

    public SyscallTable syscalls() {
        return syscalls;
    }

    public LinuxLibC libc() {
        return libc;
    }

    /** {@code bpf(2)}; its natives bind on first call, so users of {@link #libc()} alone pay nothing for it. */
    public Bpf bpf() {
        return bpf;
    }

    public PerfEvents perfEvents() {
        return bpf;
    }

    /** The syscall number of {@code name} on this architecture. */
    public int syscallNumber(String name) {
        Objects.requireNonNull(name, "name");
        return syscalls.number(name).orElseThrow(() -> new UnsupportedArchitectureException(
                "no syscall " + name + " on " + arch.id()));
    }
}
