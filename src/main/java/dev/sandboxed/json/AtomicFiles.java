package dev.sandboxed.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Writes output files so that a reader — a later build step, an editor, a container runtime loading a profile —
 * sees either the old file or the complete new one, never a half-written one after a crash or a cancelled
 * build. The temporary file sits in the target's own directory because a rename is only atomic within one
 * file system; a file system that cannot rename atomically makes the write fail rather than silently lose the
 * guarantee.
 */
public final class AtomicFiles {

    /** What a plain new file gets under the usual umask; a temporary file would otherwise leave it owner-only. */
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    /** Writes {@code text} as UTF-8 to {@code target}, creating parent directories as needed. */
    public static void write(Path target, String text) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(text, "text");
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(Files.exists(absolute) ? Files.getPosixFilePermissions(absolute) : NEW_FILE);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
