package dev.sandboxed.normalizer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Compresses outputs by running the external {@code gzip -n}. An external program on purpose: the normalizer is
 * the test subject of a sandboxing plugin, and a helper process is what per-component policies are about.
 * {@code -n} leaves the file name and time stamp out of the gzip header, so the output stays deterministic.
 */
final class Gzip {
    private final Path executable;

    private Gzip(Path executable) {
        this.executable = executable;
    }

    /** The first executable {@code gzip} in the directories of {@code pathVariable} ({@code PATH} syntax). */
    static Optional<Gzip> find(String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String directory : pathVariable.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, "gzip");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new Gzip(candidate));
            }
        }
        return Optional.empty();
    }

    /** Replaces {@code file} by {@code file.gz} and returns the latter. */
    Path compress(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        Process process = new ProcessBuilder(executable.toString(), "-n", absolute.toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + executable + " -n compressed " + file, e);
        }
        Path compressed = absolute.resolveSibling(absolute.getFileName() + ".gz");
        if (status != 0 || !Files.isRegularFile(compressed)) {
            throw new IOException(executable + " -n " + absolute + " failed with exit status " + status
                    + (output.isEmpty() ? "" : ": " + output));
        }
        return compressed;
    }
}
