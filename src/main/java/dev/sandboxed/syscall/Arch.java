package dev.sandboxed.syscall;

import java.util.Locale;
import java.util.Optional;

/**
 * The architectures a policy can target. Each carries the {@code AUDIT_ARCH_*} value the kernel
 * puts in {@code seccomp_data.arch}, because a filter that does not check it can be bypassed
 * through another ABI of the same machine (i386 on x86_64, arm32 on aarch64).
 */
public enum Arch {
    X86_64("x86_64", "SCMP_ARCH_X86_64", 0xC000003E, 0x40000003, "amd64"),
    AARCH64("aarch64", "SCMP_ARCH_AARCH64", 0xC00000B7, 0x40000028, "arm64");

    /** Syscall numbers with this bit set belong to the x32 ABI, which only x86_64 kernels accept. */
    public static final int X32_SYSCALL_BIT = 0x40000000;

    private final String id;
    private final String dockerName;
    private final int auditArch;
    private final int compatAuditArch;
    private final String jvmName;

    Arch(String id, String dockerName, int auditArch, int compatAuditArch, String jvmName) {
        this.id = id;
        this.dockerName = dockerName;
        this.auditArch = auditArch;
        this.compatAuditArch = compatAuditArch;
        this.jvmName = jvmName;
    }

    /** The name used in our policy format, recordings and output file names. */
    public String id() {
        return id;
    }

    /** The name Docker and libseccomp use, {@code SCMP_ARCH_*}. */
    public String dockerName() {
        return dockerName;
    }

    public int auditArch() {
        return auditArch;
    }

    /** The 32-bit ABI the same kernel also accepts: i386 on x86_64, arm on aarch64. */
    public int compatAuditArch() {
        return compatAuditArch;
    }

    public static Optional<Arch> fromId(String id) {
        for (Arch arch : values()) {
            if (arch.id.equals(id) || arch.jvmName.equals(id)) {
                return Optional.of(arch);
            }
        }
        return Optional.empty();
    }

    public static Optional<Arch> fromDockerName(String name) {
        for (Arch arch : values()) {
            if (arch.dockerName.equals(name)) {
                return Optional.of(arch);
            }
        }
        return Optional.empty();
    }

    public static Optional<Arch> fromAuditArch(int auditArch) {
        for (Arch arch : values()) {
            if (arch.auditArch == auditArch) {
                return Optional.of(arch);
            }
        }
        return Optional.empty();
    }

    /** The architecture this JVM runs on, if it is one we support. */
    public static Optional<Arch> current() {
        return fromId(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
    }
}
