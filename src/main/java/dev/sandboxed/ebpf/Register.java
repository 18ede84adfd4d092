package dev.sandboxed.ebpf;

/**
 * The eBPF registers. At a program's start R1 holds the context; helpers take arguments in R1-R5, return in R0
 * and clobber R1-R5; R6-R9 survive calls; R10 is the read-only frame pointer (the stack grows down from it,
 * 512 bytes).
 */
public enum Register {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

    int number() {
        return ordinal();
    }
}
