package dev.sandboxed.sandbox;

import java.util.Comparator;
import java.util.Objects;

/**
 * A file access the sandbox refused because it lies outside the filesystem rules, summed over its occurrences.
 *
 * @param path the file, absolute, as the application named it
 * @param access {@code read}, {@code write}, {@code create}, {@code delete} or {@code execute}
 * @param executable the program that tried it
 * @param count how many times
 * @param limit what refused it: {@code landlock} (native) or {@code read-only root} (Docker)
 * @param fix what would allow it; empty until explained
 */
public record FilesystemViolation(String path, String access, String executable, long count, String limit,
                                  String fix) {

    static final Comparator<FilesystemViolation> BY_ACCESS = Comparator.comparing(FilesystemViolation::path)
            .thenComparing(FilesystemViolation::access)
            .thenComparing(FilesystemViolation::executable)
            .thenComparing(FilesystemViolation::limit);

    public FilesystemViolation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(fix, "fix");
        if (count < 1) {
            throw new IllegalArgumentException("a violation is observed at least once, got count " + count);
        }
    }

    public FilesystemViolation explained(String allowingFix) {
        return new FilesystemViolation(path, access, executable, count, limit, allowingFix);
    }

    FilesystemViolation plus(FilesystemViolation other) {
        return new FilesystemViolation(path, access, executable, count + other.count, limit, fix);
    }
}
