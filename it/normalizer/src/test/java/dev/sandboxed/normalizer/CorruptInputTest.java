package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged recordings: each must fail with exit code 3, a message naming the file, the field and the byte offset,
 * and no output file at all. Offsets are worked out by hand from the EDF layout of {@link TestEdf#small}: 3
 * signals, so a 1024-byte header; records of (10 + 5 + 30) * 2 = 90 bytes.
 */
class CorruptInputTest {
    @TempDir
    Path dir;
    Path file;
    Path out;
    byte[] bytes;

    @BeforeEach
    void writeValidFile() throws IOException {
        file = dir.resolve("rec.edf");
        out = dir.resolve("out");
        TestEdf.small(file);
        bytes = Files.readAllBytes(file);
    }

    private void put(int offset, String text) {
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(ascii, 0, bytes, offset, ascii.length);
    }

    private void assertRejected(String field, long offset, String problem) throws IOException {
        Files.write(file, bytes);
        Cli.Result result = Cli.run("--in", file.toString(), "--out", out.toString(), "--labels", "1020");
        assertEquals(3, result.code(), result.err());
        String expected = file + ": " + field + " at byte offset " + offset + ": ";
        assertTrue(result.err().contains(expected), "expected '" + expected + "' in: " + result.err());
        assertTrue(result.err().contains(problem), "expected '" + problem + "' in: " + result.err());
        assertEquals(List.of(), outputFiles(), "no output for a bad input");
    }

    private List<String> outputFiles() throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void nonAsciiLabel() throws IOException {
        put(256 + 16 + 2, "\u00b5");
        assertRejected("header field 'label' of signal 2", 274, "byte 0xB5 is not printable ASCII");
    }

    @Test
    void headerSizeThatDisagreesWithTheSignalCount() throws IOException {
        put(184, "768     ");
        assertRejected("header field 'number of bytes in header record'", 184, "must be 256 * (signals + 1) = 1024");
    }

    @Test
    void truncatedInsideADataRecord() throws IOException {
        bytes = Arrays.copyOf(bytes, 1024 + 2 * 90 + 45);
        assertRejected("data record 3 of 4", 1204, "file is truncated: it ends at byte offset 1249");
    }

    @Test
    void truncatedInsideTheHeader() throws IOException {
        bytes = Arrays.copyOf(bytes, 200);
        assertRejected("header field 'reserved'", 200, "file ends inside the 256-byte fixed header");
    }

    @Test
    void truncatedInsideTheSignalHeaders() throws IOException {
        // 256 + 3 * (16 + 80 + 8 + 8) = 592 is where the physical maximum fields start; 600 is signal 2's.
        bytes = Arrays.copyOf(bytes, 603);
        assertRejected("header field 'physical maximum' of signal 2", 603, "file ends inside the signal headers");
    }

    @Test
    void bytesAfterTheLastRecord() throws IOException {
        bytes = Arrays.copyOf(bytes, bytes.length + 7);
        assertRejected("end of data record 4", 1024 + 4 * 90, "file has 7 bytes after the last data record");
    }

    @Test
    void recordCountThatIsNotANumber() throws IOException {
        put(236, "four    ");
        assertRejected("header field 'number of data records'", 236, "'four' is not a whole number");
    }

    @Test
    void physicalMinimumThatIsNotANumber() throws IOException {
        put(568, "-5OO    ");
        assertRejected("header field 'physical minimum' of signal 1 (Fc5.)", 568, "'-5OO' is not a decimal number");
    }

    @Test
    void digitalMinimumNotBelowMaximum() throws IOException {
        put(616 + 8, "1000    ");
        assertRejected("header field 'digital minimum' of signal 2 (C3..)", 624,
                "digital minimum 1000 must be below digital maximum 1000");
    }

    @Test
    void equalPhysicalExtremes() throws IOException {
        put(592, "-500    ");
        assertRejected("header field 'physical minimum' of signal 1 (Fc5.)", 568,
                "physical minimum and maximum are both -500");
    }

    @Test
    void discontinuousEdfPlus() throws IOException {
        put(192, "EDF+D");
        assertRejected("header field 'reserved'", 192, "EDF+D (discontinuous) recordings are not supported");
    }

    @Test
    void bdfFile() throws IOException {
        bytes[0] = (byte) 0xff;
        assertRejected("header field 'version'", 0, "BDF");
    }

    @Test
    void corruptAnnotationList() throws IOException {
        put(1024 + 90 + 30, "*");
        assertRejected("annotation signal 3 of data record 2", 1144, "a TAL must start with + or -");
    }

    @Test
    void missingTimekeepingAnnotation() throws IOException {
        // Record 2 (which has no event) now opens with an annotation that has text: EDF+ wants the time-keeping
        // TAL first.
        put(1024 + 90 + 30, "+1\u0014X\u0014\u0000");
        assertRejected("annotation signal 3 of data record 2", 1144, "must open with a time-keeping TAL");
    }

    @Test
    void goodFilesOfADirectoryAreStillWritten() throws IOException {
        Path inputs = dir.resolve("inputs");
        Files.createDirectories(inputs);
        TestEdf.small(inputs.resolve("a.edf"));
        byte[] bad = Arrays.copyOf(bytes, 1100);
        Files.write(inputs.resolve("b.edf"), bad);

        Cli.Result result = Cli.run("--in", inputs.toString(), "--out", out.toString(), "--threads", "2");

        assertEquals(3, result.code(), result.err());
        assertTrue(result.err().contains(inputs.resolve("b.edf") + ": data record 1 of 4 at byte offset 1024"),
                result.err());
        assertEquals(List.of("a.edf", "a.report.json"), outputFiles());
    }
}
