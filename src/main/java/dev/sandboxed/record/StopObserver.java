package dev.sandboxed.record;

import dev.sandboxed.linux.SyscallInfo;

/**
 * Watches the stops a {@link Supervision}'s filter causes. Called on the tracer thread while the tracee is
 * stopped, so the observer may read its memory (through {@link SyscallStop#paths()}) and must be quick: the traced
 * thread waits for it.
 */
public interface StopObserver {

    /**
     * A {@code SECCOMP_RET_TRACE} stop of the command (the launcher's own stops are not reported). The call goes
     * ahead when this returns.
     *
     * @return true to be told the call's result at its exit, by {@link #atSyscallExit}
     */
    boolean atSeccompStop(SyscallStop stop);

    /**
     * The end of a call {@link #atSeccompStop} asked about. Not called when the call never returns (a successful
     * {@code execve} reports its exit too, an {@code exit} does not).
     *
     * @param exit the exit stop: {@link SyscallInfo#returnValue()} and {@link SyscallInfo#isError()}
     */
    void atSyscallExit(SyscallStop stop, SyscallInfo exit);
}
