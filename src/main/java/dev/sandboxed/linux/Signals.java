package dev.sandboxed.linux;

import java.util.Optional;

/** Signal numbers and names. x86_64 and aarch64 share the generic Linux numbering. */
public final class Signals {

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGTRAP = 5;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGSYS = 31;
    /** The first real-time signal as the kernel numbers it (glibc reserves the first two for itself). */
    public static final int SIGRTMIN = 32;
    public static final int SIGRTMAX = 64;

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    private Signals() {
    }

    /** {@code SIGTERM}, {@code SIGRTMIN+3}, or {@code signal 99} for a number outside Linux's range. */
    public static String name(int signal) {
        if (signal > 0 && signal < NAMES.length) {
            return NAMES[signal];
        }
        if (signal >= SIGRTMIN && signal <= SIGRTMAX) {
            return signal == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (signal - SIGRTMIN);
        }
        return "signal " + signal;
    }

    /** The number for a name with or without the {@code SIG} prefix. */
    public static Optional<Integer> number(String name) {
        String full = name.startsWith("SIG") ? name : "SIG" + name;
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(full)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The stop signals that put a whole process into group-stop (job control). */
    public static boolean isStopSignal(int signal) {
        return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
    }
}
