package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarArchiveTest {

    private static final String LONG_NAME = "/opt/" + "deeply-nested-directory/".repeat(6) + "file-with-a-long-name.txt";

    @TempDir
    Path temp;

    @Test
    void gnuTarReadsBackEveryKindOfEntry() throws IOException {
        Path script = Files.writeString(temp.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        RootFilesystem filesystem = RootFilesystem.builder()
                .file("/bin/run", script)
                .file("/etc/passwd", "nobody:x:65534:65534::/:/sbin/nologin\n".getBytes(StandardCharsets.US_ASCII), 0644)
                .file(LONG_NAME, "long\n".getBytes(StandardCharsets.US_ASCII), 0600)
                .symlink("/bin/alias", "run")
                .directory("/tmp", 01777)
                .build();
        Path archive = temp.resolve("rootfs.tar");
        TarArchive.Written written = TarArchive.write(filesystem, archive);
        assertEquals(Files.size(archive), written.bytes());

        ProcessRunner runner = ProcessRunner.create();
        String listing = runner.run(Command.of("tar", "--list", "--verbose", "--numeric-owner", "--file",
                archive.toString()).capturingStdout()).requireSuccess().stdout();
        assertTrue(listing.contains("-rwxr-xr-x 0/0") && listing.contains("bin/run"), listing);
        assertTrue(listing.contains("lrwxrwxrwx 0/0") && listing.contains("bin/alias -> run"), listing);
        assertTrue(listing.contains("drwxrwxrwt 0/0") && listing.contains("tmp/"), listing);
        assertTrue(listing.contains("2000-01-01"), "fixed modification time: " + listing);
        assertTrue(listing.contains(LONG_NAME.substring(1)), "pax long name: " + listing);

        Path extracted = Files.createDirectory(temp.resolve("x"));
        runner.run(Command.of("tar", "--extract", "--file", archive.toString(), "--directory", extracted.toString()))
                .requireSuccess();
        assertEquals("long\n", Files.readString(extracted.resolve(LONG_NAME.substring(1))));
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(extracted.resolve("bin/alias")));
        assertTrue(Files.isDirectory(extracted.resolve("opt/deeply-nested-directory")), "parents are implied");
    }

    @Test
    void equalContentGivesIdenticalBytesWhateverTheOrderAndTimestamps() throws IOException {
        Path a = Files.writeString(temp.resolve("a"), "alpha");
        Path b = Files.writeString(temp.resolve("b"), "beta");
        byte[] first = archive(RootFilesystem.builder().file("/x/a", a).file("/y/b", b).build());
        Files.setLastModifiedTime(a, FileTime.fromMillis(0));
        byte[] second = archive(RootFilesystem.builder().file("/y/b", b).file("/x/a", a).build());
        assertArrayEquals(first, second);

        Files.writeString(a, "alphA");
        assertNotEquals(TarArchive.write(RootFilesystem.builder().file("/x/a", a).file("/y/b", b).build(),
                        temp.resolve("changed.tar")).sha256(),
                TarArchive.write(RootFilesystem.builder().file("/x/a", b).file("/y/b", b).build(),
                        temp.resolve("other.tar")).sha256());
    }

    @Test
    void twoSourcesForOnePathAreRejectedWithBothNamed() throws IOException {
        Path a = Files.writeString(temp.resolve("a"), "alpha");
        Path b = Files.writeString(temp.resolve("b"), "beta");
        RootFilesystem.Builder builder = RootFilesystem.builder().file("/lib/x.so", a).file("/lib/x.so", a);
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> builder.file("/lib/x.so", b));
        assertTrue(clash.getMessage().contains("/lib/x.so") && clash.getMessage().contains(b.toString()),
                clash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RootFilesystem.builder().directory("relative", 0755));
    }

    @Test
    void treesKeepTheirSymlinksAndExecutableBits() throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree/legal"));
        Files.writeString(tree.resolve("LICENSE"), "text");
        Files.createSymbolicLink(temp.resolve("tree/COPY"), Path.of("legal/LICENSE"));
        RootFilesystem filesystem = RootFilesystem.builder().tree("/opt/t", temp.resolve("tree")).build();
        assertEquals(List.of("/opt", "/opt/t", "/opt/t/COPY", "/opt/t/legal", "/opt/t/legal/LICENSE"),
                List.copyOf(filesystem.entries().keySet()));
        assertEquals(new RootFilesystem.Symlink("legal/LICENSE"), filesystem.entries().get("/opt/t/COPY"));
    }

    private static byte[] archive(RootFilesystem filesystem) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarArchive.write(filesystem, out);
        return out.toByteArray();
    }
}
