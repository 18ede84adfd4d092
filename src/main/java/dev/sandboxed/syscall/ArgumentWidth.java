package dev.sandboxed.syscall;

import java.util.Optional;
import java.util.Set;

/**
 * How many bits of a syscall argument register the kernel reads, judged from the C type it declares. The kernel's
 * syscall wrappers cast each 64-bit register to the declared type, so an {@code int} argument ignores the upper
 * half while a {@code long} or pointer does not.
 */
final class ArgumentWidth {

    /** Types of 32 bits or fewer, including the kernel's typedefs of them. */
    private static final Set<String> NARROW = Set.of(
            "int", "unsigned int", "unsigned", "signed int", "short", "unsigned short", "char", "unsigned char",
            "u32", "__u32", "s32", "__s32", "uint32_t", "int32_t", "u16", "__u16", "umode_t",
            "pid_t", "uid_t", "gid_t", "qid_t", "clockid_t", "timer_t", "mqd_t", "key_t", "key_serial_t", "rwf_t");

    /** Types as wide as a register. Pointer typedefs belong here because their {@code *} is hidden. */
    private static final Set<String> WIDE = Set.of(
            "long", "unsigned long", "size_t", "ssize_t", "off_t", "loff_t", "u64", "__u64", "aio_context_t",
            "cap_user_header_t", "cap_user_data_t");

    private ArgumentWidth() {
    }

    static boolean isInt(String cType) {
        return classify(cType).orElse(false);
    }

    /** {@code true} for 32-bit-or-narrower, {@code false} for register-wide, empty for a type we do not know. */
    static Optional<Boolean> classify(String cType) {
        String type = cType.strip();
        if (type.startsWith("const ")) {
            type = type.substring("const ".length());
        }
        if (type.contains("*")) {
            return Optional.of(false);
        }
        if (type.startsWith("enum ") || NARROW.contains(type)) {
            return Optional.of(true);
        }
        if (WIDE.contains(type)) {
            return Optional.of(false);
        }
        return Optional.empty();
    }
}
