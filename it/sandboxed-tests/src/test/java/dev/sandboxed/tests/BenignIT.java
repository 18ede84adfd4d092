package dev.sandboxed.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the policy was recorded from: hashing, and a temporary file. */
class BenignIT {

    @Test
    void hashesATemporaryFile() throws IOException, NoSuchAlgorithmException {
        Path file = Files.createTempFile("benign", ".txt");
        try {
            Files.writeString(file, "abc", StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    HexFormat.of().formatHex(digest));
        } finally {
            Files.delete(file);
        }
    }
}
