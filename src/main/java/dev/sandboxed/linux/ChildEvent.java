package dev.sandboxed.linux;

/**
 * What {@code waitid(2)} reported, from its {@code siginfo_t}.
 *
 * @param pid the child, 0 when {@code WNOHANG} found nothing
 * @param code {@code CLD_EXITED}, {@code CLD_KILLED}, {@code CLD_DUMPED}, {@code CLD_STOPPED}, ...
 * @param status the exit code or the signal, depending on {@code code}
 */
public record ChildEvent(int pid, int code, int status) {

    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_TRAPPED = 4;
    public static final int CLD_STOPPED = 5;
    public static final int CLD_CONTINUED = 6;
}
