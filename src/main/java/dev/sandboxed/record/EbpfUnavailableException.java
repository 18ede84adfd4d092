package dev.sandboxed.record;

/**
 * eBPF recording cannot run here: not permitted (no CAP_BPF/CAP_PERFMON or CAP_SYS_ADMIN, a seccomp policy
 * refusing {@code bpf(2)}), or the kernel lacks what it needs (tracefs, a tracepoint). The recorder then falls
 * back to ptrace; the message says why in one line.
 */
public final class EbpfUnavailableException extends RecordException {

    public EbpfUnavailableException(String message) {
        super(message);
    }

    public EbpfUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
