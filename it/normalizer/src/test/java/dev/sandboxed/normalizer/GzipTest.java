package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --gzip} runs the real external gzip program. */
class GzipTest {
    @TempDir
    Path dir;

    private static List<String> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void compressedOutputIsTheDeterministicGzipOfThePlainOutput() throws IOException {
        boolean present = Gzip.find(System.getenv("PATH")).isPresent();
        if (!present) {
            System.out.println("GzipTest skipped: no gzip on PATH " + System.getenv("PATH"));
        }
        Assumptions.assumeTrue(present, "no gzip program on PATH");
        Path in = dir.resolve("rec.edf");
        TestEdf.small(in);
        Path plain = dir.resolve("plain");
        Path zipped = dir.resolve("zipped");
        Path again = dir.resolve("again");
        assertEquals(0, Cli.run("--in", in.toString(), "--out", plain.toString()).code());
        Cli.Result result = Cli.run("--in", in.toString(), "--out", zipped.toString(), "--gzip");
        assertEquals(0, result.code(), result.err());
        assertEquals(0, Cli.run("--in", in.toString(), "--out", again.toString(), "--gzip").code());

        assertEquals(List.of("rec.edf.gz", "rec.report.json"), files(zipped));
        byte[] unzipped;
        try (InputStream gz = new GZIPInputStream(Files.newInputStream(zipped.resolve("rec.edf.gz")))) {
            unzipped = gz.readAllBytes();
        }
        assertArrayEquals(Files.readAllBytes(plain.resolve("rec.edf")), unzipped);
        assertArrayEquals(Files.readAllBytes(zipped.resolve("rec.edf.gz")),
                Files.readAllBytes(again.resolve("rec.edf.gz")), "gzip -n leaves out name and time");
        assertTrue(Files.readString(zipped.resolve("rec.report.json")).contains("\"output\": \"rec.edf.gz\""));
    }

    @Test
    void missingGzipIsAClearUsageError() throws IOException, InterruptedException {
        Path in = dir.resolve("rec.edf");
        TestEdf.small(in);
        Path out = dir.resolve("out");
        Cli.Result result = Cli.fork(List.of(), Map.of("PATH", dir.resolve("no-such-dir").toString()),
                "--in", in.toString(), "--out", out.toString(), "--gzip");
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("--gzip runs the gzip program, but there is no executable gzip on PATH ("
                + dir.resolve("no-such-dir") + ")"), result.err());
        assertTrue(!Files.exists(out) || files(out).isEmpty());
    }
}
