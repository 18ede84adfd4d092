package dev.sandboxed.record;

import dev.sandboxed.linux.LinuxException;
import dev.sandboxed.linux.LinuxLibC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a stopped tracee's memory with {@code process_vm_readv}. Reads never cross into a page that may be
 * unmapped unless the string continues there, so a path at the end of a mapping is still read whole.
 */
final class TraceeMemory {

    private static final int PAGE = 4096;
    static final int PATH_MAX = 4096;

    private final LinuxLibC libc;
    private final byte[] buffer = new byte[PATH_MAX];

    TraceeMemory(LinuxLibC libc) {
        this.libc = libc;
    }

    /** The NUL-terminated string at {@code address}; empty for a null or unreadable pointer. */
    Optional<String> string(int tid, long address) {
        if (address == 0) {
            return Optional.empty();
        }
        int length = 0;
        try {
            while (length < PATH_MAX) {
                long at = address + length;
                int chunk = (int) Math.min(PATH_MAX - length, PAGE - (at & (PAGE - 1)));
                byte[] piece = length == 0 ? buffer : new byte[chunk];
                int n = libc.processVmReadv(tid, at, piece, chunk);
                if (length > 0) {
                    System.arraycopy(piece, 0, buffer, length, n);
                }
                for (int i = length; i < length + n; i++) {
                    if (buffer[i] == 0) {
                        return Optional.of(new String(buffer, 0, i, StandardCharsets.UTF_8));
                    }
                }
                length += n;
                if (n < chunk) {
                    break;
                }
            }
        } catch (LinuxException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The native-endian 64-bit word at {@code address}. */
    OptionalLong u64(int tid, long address) {
        if (address == 0) {
            return OptionalLong.empty();
        }
        byte[] word = new byte[8];
        try {
            if (libc.processVmReadv(tid, address, word, 8) == 8) {
                return OptionalLong.of(ByteBuffer.wrap(word).order(ByteOrder.nativeOrder()).getLong());
            }
        } catch (LinuxException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Up to {@code length} bytes at {@code address}; the result's length is what could be read. */
    byte[] bytes(int tid, long address, int length) {
        if (address == 0 || length <= 0) {
            return new byte[0];
        }
        byte[] into = new byte[length];
        try {
            int n = libc.processVmReadv(tid, address, into, length);
            return n == length ? into : Arrays.copyOf(into, n);
        } catch (LinuxException e) {
            return new byte[0];
        }
    }
}
