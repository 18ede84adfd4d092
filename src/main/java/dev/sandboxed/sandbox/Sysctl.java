package dev.sandboxed.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kernel settings under {@code /proc/sys}. */
final class Sysctl {

    private static final Path ROOT = Path.of("/proc/sys");

    private Sysctl() {
    }

    /**
     * Reads a setting such as {@code kernel/hostname} in one {@code read}. The kernel answers a read at a non-zero
     * offset of an integer setting with end-of-file, so {@link Files#readString}, which reads the first byte of a
     * size-0 file on its own, would see "1" of "10".
     */
    static String read(String name) throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve(name))) {
            byte[] buffer = new byte[4096];
            int length = in.read(buffer);
            return length <= 0 ? "" : new String(buffer, 0, length, StandardCharsets.US_ASCII).strip();
        }
    }
}
