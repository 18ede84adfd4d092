package dev.sandboxed.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The few fixed seccomp programs the native layer needs itself. Policies are compiled elsewhere; these exist so
 * that tracing does not depend on the policy compiler.
 */
public final class SeccompPrograms {

    private static final short BPF_RET_K = 0x06;

    private SeccompPrograms() {
    }

    /**
     * A one-instruction program answering {@link Seccomp#RET_TRACE} to every syscall of every ABI: each call then
     * stops once for the tracer (a seccomp stop) instead of twice (syscall entry and exit stops).
     */
    public static byte[] traceEverything() {
        return ByteBuffer.allocate(Seccomp.INSTRUCTION_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putShort(BPF_RET_K).put((byte) 0).put((byte) 0).putInt(Seccomp.RET_TRACE)
                .array();
    }
}
