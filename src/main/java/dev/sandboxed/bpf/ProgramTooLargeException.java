package dev.sandboxed.bpf;

/** A program longer than the kernel's limit; the kernel would refuse it with EINVAL and no hint why. */
public final class ProgramTooLargeException extends RuntimeException {

    private final int length;
    private final int limit;

    public ProgramTooLargeException(int length, int limit) {
        super("the seccomp program has " + length + " instructions but the kernel accepts at most " + limit
                + " (BPF_MAXINSNS); use fewer argument rules, or merge rules that share an action");
        this.length = length;
        this.limit = limit;
    }

    public int length() {
        return length;
    }

    public int limit() {
        return limit;
    }
}
