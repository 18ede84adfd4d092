package dev.sandboxed.policy;

/**
 * How many bits of an argument register a condition compares. The kernel passes an {@code int} argument in a
 * 64-bit register whose high half may hold stale bits; comparing all 64 bits then lets a caller slip past a
 * deny or trip an allow (libseccomp #383). {@link #BITS32} compares only the low word, as the kernel reads it.
 */
public enum Width {
    BITS64,
    BITS32
}
