package dev.sandboxed.linux;

/**
 * What {@code waitpid(2)} reported for one task, decoded the way {@code <sys/wait.h>}'s macros do.
 *
 * @param pid the task the status is about; 0 when {@code WNOHANG} found nothing
 * @param raw the status word
 */
public record WaitStatus(int pid, int raw) {

    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    public boolean signaled() {
        return ((byte) ((raw & 0x7f) + 1) >> 1) > 0;
    }

    public int terminationSignal() {
        return raw & 0x7f;
    }

    public boolean stopped() {
        return (raw & 0xff) == 0x7f;
    }

    /** The stop signal; {@code SIGTRAP | 0x80} for a syscall-stop under {@code PTRACE_O_TRACESYSGOOD}. */
    public int stopSignal() {
        return (raw >> 8) & 0xff;
    }

    /** The {@code PTRACE_EVENT_*} of a ptrace event stop, 0 for any other stop. */
    public int ptraceEvent() {
        return (raw >> 16) & 0xff;
    }

    /** Exit code of a finished task as a shell reports it: the code, or 128 + the killing signal. */
    public int shellExitStatus() {
        return exited() ? exitCode() : 128 + terminationSignal();
    }
}
