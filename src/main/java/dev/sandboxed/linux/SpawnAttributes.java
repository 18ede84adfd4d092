package dev.sandboxed.linux;

/**
 * {@code posix_spawnattr_t} settings. A JVM thread runs with some signals blocked (SIGQUIT), and a child
 * inherits its spawning thread's mask, so a child meant to behave as if started from a shell needs the mask
 * cleared. Ignored signals stay ignored, as with {@link ProcessBuilder}, unless {@code defaultSignalHandlers}.
 *
 * @param clearSignalMask start the child with no signal blocked
 * @param defaultSignalHandlers reset every catchable signal, ignored ones included, to its default action
 * @param newProcessGroup put the child in a process group of its own
 */
public record SpawnAttributes(boolean clearSignalMask, boolean defaultSignalHandlers, boolean newProcessGroup) {

    /** What a shell gives a child: no blocked signals, inherited dispositions, the caller's process group. */
    public static SpawnAttributes standard() {
        return new SpawnAttributes(true, false, false);
    }
}
