package dev.sandboxed.linux;

/**
 * {@code perf_event_open(2)} for tracepoints and the {@code ioctl}s that attach a BPF program to one. Closing the
 * event fd detaches the program.
 *
 * <p>Obtain it from {@link Linux#perfEvents()}.
 */
public interface PerfEvents {

    /**
     * Opens tracepoint {@code id} (from {@code events/<category>/<name>/id} in tracefs) for all processes on
     * {@code cpu}; the event starts disabled.
     *
     * @return the close-on-exec event fd
     */
    int openTracepoint(long id, int cpu);

    /** {@code PERF_EVENT_IOC_SET_BPF}: runs {@code programFd} at every hit of the tracepoint. */
    void attachBpf(int eventFd, int programFd);

    /** {@code PERF_EVENT_IOC_ENABLE}. */
    void enable(int eventFd);
}
