package dev.sandboxed.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Cheap identities of inputs for the on-disk caches of image assembly. A file is identified by path, size,
 * modification time (at the file system's full precision) and inode, as build tools do: reading metadata is what
 * keeps a repeated verify fast, and a file rewritten in place within the same nanosecond to the same size is not a
 * case a build meets.
 */
final class Fingerprints {

    private Fingerprints() {
    }

    /** Path, size, modification time and inode of a file, or of every file under a directory. */
    static String of(Path entry) {
        StringBuilder print = new StringBuilder();
        try (Stream<Path> files = Files.isDirectory(entry) ? Files.walk(entry) : Stream.of(entry)) {
            for (Path file : files.sorted().toList()) {
                if (!Files.exists(file)) {
                    print.append(file).append(" absent\n");
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (!attributes.isDirectory()) {
                    print.append(file).append(' ').append(attributes.size()).append(' ')
                            .append(attributes.lastModifiedTime()).append(' ').append(attributes.fileKey())
                            .append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry + ": " + e.getMessage(), e);
        }
        return print.toString();
    }

    static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A cached answer, if one was stored under this key. */
    static Optional<String> cached(Path directory, String key) {
        Path file = directory.resolve(key);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores an answer atomically, so a concurrent build reads either nothing or all of it. */
    static void store(Path directory, String key, String content) {
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, ".tmp-", "");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, directory.resolve(key), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cache in " + directory + ": " + e.getMessage(), e);
        }
    }
}
