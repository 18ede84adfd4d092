package dev.sandboxed.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {

    @Test
    void createsParentsReplacesContentAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("a/b/policy.json");
        AtomicFiles.write(target, "first\n");
        assertEquals("first\n", Files.readString(target));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));

        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(target, "second\n");
        assertEquals("second\n", Files.readString(target));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
                "replacing a file keeps the permissions its owner chose");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aFailedMoveLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, "text"),
                "a non-empty directory cannot be replaced by a file");
        assertEquals("x", Files.readString(target.resolve("inside")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
