package dev.sandboxed.record;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

/**
 * Names syscalls as seen at a stop. A call through the machine's other ABI (i386 {@code int 0x80} on x86_64,
 * arm32 on aarch64) or the x32 ABI has a different numbering; it is recorded under a prefixed name such as
 * {@code i386:5} so that it is visible and never confused with the native call of the same number, and a policy
 * compiler can refuse it explicitly.
 */
final class SyscallNames {

    static final String UNKNOWN_PREFIX = "unknown:";

    private final Arch arch;
    private final String[] names;
    private final String compatPrefix;

    SyscallNames(Arch arch) {
        this.arch = arch;
        SyscallTable table = SyscallTable.of(arch);
        names = new String[table.maxNumber() + 1];
        for (int nr = 0; nr < names.length; nr++) {
            names[nr] = table.name(nr).orElse(null);
        }
        compatPrefix = arch == Arch.X86_64 ? "i386:" : "arm:";
    }

    Arch arch() {
        return arch;
    }

    /** True when {@code auditArch} is the native ABI, whose numbers {@link #name} resolves. */
    boolean isNative(int auditArch, long nr) {
        return auditArch == arch.auditArch() && (arch != Arch.X86_64 || (nr & Arch.X32_SYSCALL_BIT) == 0);
    }

    String name(int auditArch, long nr) {
        if (auditArch == arch.auditArch()) {
            if (arch == Arch.X86_64 && nr >= 0 && (nr & Arch.X32_SYSCALL_BIT) != 0) {
                return "x32:" + nativeName(nr & ~Arch.X32_SYSCALL_BIT);
            }
            return nativeName(nr);
        }
        if (auditArch == arch.compatAuditArch()) {
            return compatPrefix + nr;
        }
        return "arch-0x" + Integer.toHexString(auditArch) + ":" + nr;
    }

    private String nativeName(long nr) {
        if (nr >= 0 && nr < names.length && names[(int) nr] != null) {
            return names[(int) nr];
        }
        return UNKNOWN_PREFIX + nr;
    }
}
