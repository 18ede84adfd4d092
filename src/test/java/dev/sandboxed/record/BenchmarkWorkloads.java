package dev.sandboxed.record;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** The programs {@link RecordBenchmark} traces: {@code copy FILE} (realistic I/O) and {@code storm FILE} (syscall-bound). */
public final class BenchmarkWorkloads {

    private static final int BUFFER = 64 * 1024;
    private static final long FILE_SIZE = 100L * 1024 * 1024;
    private static final int STORM_PAIRS = 400_000;

    private BenchmarkWorkloads() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "copy" -> copy(file);
            case "storm" -> storm(file);
            default -> throw new IllegalArgumentException("copy or storm, not " + args[0]);
        }
    }

    /** Writes then reads 100 MB in 64 KB buffers. */
    private static void copy(Path file) throws IOException {
        byte[] buffer = new byte[BUFFER];
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            for (long written = 0; written < FILE_SIZE; written += BUFFER) {
                out.write(buffer);
            }
        }
        long sum = 0;
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sum += n;
            }
        }
        Files.delete(file);
        if (sum != FILE_SIZE) {
            throw new IllegalStateException("read " + sum);
        }
    }

    /** 400k pairs of a one-byte seek and write: nothing but syscalls. */
    private static void storm(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < STORM_PAIRS; i++) {
                raf.seek(i & 1023);
                raf.write(i);
            }
        }
        Files.delete(file);
    }
}
