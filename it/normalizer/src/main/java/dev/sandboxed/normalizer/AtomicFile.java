package dev.sandboxed.normalizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Creates a file so that it either appears complete or not at all: content goes to a temporary file in the
 * target's directory (same file system, so the final rename is atomic) and is renamed over the target only once
 * it is whole. A failure at any point removes the temporary file.
 */
final class AtomicFile {
    /** Fills a temporary file and returns the file to publish (the one given, or one derived from it). */
    @FunctionalInterface
    interface Content {
        Path writeTo(Path temporary) throws IOException;
    }

    private AtomicFile() {
    }

    static void write(Path target, Content content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        // Named after the process rather than random: one process writes each target once, and a plain
        // createFile (unlike createTempFile) gives the output the usual umask permissions instead of 0600.
        Path temporary = Files.createFile(directory.resolve("." + target.getFileName() + "."
                + ProcessHandle.current().pid() + ".tmp"));
        Path produced = temporary;
        boolean published = false;
        try {
            produced = content.writeTo(temporary);
            Files.move(produced, target, StandardCopyOption.ATOMIC_MOVE);
            published = true;
        } finally {
            if (!published) {
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(produced);
            }
        }
    }
}
