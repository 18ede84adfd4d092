package dev.sandboxed.record;

import dev.sandboxed.syscall.Arch;

/**
 * A recorder of one run, as {@link RecordingSession} drives it: ptrace ({@link Tracer}) or eBPF
 * ({@link EbpfTracer}). An abstract class rather than an interface so that its methods stay package-private.
 */
abstract class TraceBackend {

    /** Runs the command to its end on the calling thread and returns what it did. */
    abstract Tracer.Outcome run();

    /** Kills the whole recorded tree; any thread may call it. */
    abstract void kill();

    abstract Arch arch();
}
