package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdfRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void edfPlusWithAnnotationsSurvivesWriteThenRead() throws IOException {
        Path file = dir.resolve("small.edf");
        EdfHeader written = TestEdf.small(file);

        Recording read = Recording.read(file);

        assertEquals(written, read.header());
        assertEquals(written.fileBytes(), Files.size(file));
        short[] ramp = read.samples().get(0);
        assertEquals(40, ramp.length);
        for (int i = 0; i < ramp.length; i++) {
            assertEquals(i * 100 - 2000, ramp[i], "sample " + i);
        }
        assertEquals(1000 - 19 * 50, read.samples().get(1)[19]);
        assertEquals(List.of(new Annotation("+0.25", "0.5", "T1"), new Annotation("+2.25", "0.5", "T2 start")),
                read.events());
        assertEquals(4, read.annotations().size() - read.events().size(), "one time-keeping TAL per record");
        assertEquals("+3", read.annotations().get(read.annotations().size() - 1).onset());
    }

    @Test
    void headerBytesFollowTheEdfLayout() throws IOException {
        Path file = dir.resolve("small.edf");
        TestEdf.small(file);
        byte[] bytes = Files.readAllBytes(file);
        String fixed = new String(bytes, 0, 256, StandardCharsets.US_ASCII);

        assertEquals("0       ", fixed.substring(0, 8));
        assertEquals("02.03.21", fixed.substring(168, 176));
        assertEquals("1024    ", fixed.substring(184, 192), "256 * (3 signals + 1)");
        assertEquals("EDF+C", fixed.substring(192, 236).trim());
        assertEquals("4       ", fixed.substring(236, 244));
        assertEquals("3   ", fixed.substring(252, 256));
        assertEquals("Fc5.            C3..            EDF Annotations ",
                new String(bytes, 256, 48, StandardCharsets.US_ASCII));
    }

    @Test
    void unknownRecordCountIsComputedFromTheLength() throws IOException {
        Path file = dir.resolve("small.edf");
        TestEdf.small(file);
        byte[] bytes = Files.readAllBytes(file);
        System.arraycopy("-1      ".getBytes(StandardCharsets.US_ASCII), 0, bytes, 236, 8);
        Files.write(file, bytes);

        assertEquals(4, Recording.read(file).header().dataRecords());
    }

    @Test
    void decodesDigitalToPhysicalWithTheEdfFormula() {
        EdfSignal signal = TestEdf.signal("x", "uV", -500, 500, -2048, 2047, 1);
        // (d - dmin) * (pmax - pmin) / (dmax - dmin) + pmin, worked by hand:
        assertEquals(-500.0, signal.toPhysical(-2048), 1e-12);
        assertEquals(500.0, signal.toPhysical(2047), 1e-12);
        assertEquals((0 + 2048) * 1000.0 / 4095 - 500, signal.toPhysical(0), 1e-12);
        assertEquals(0.1221001221001221, signal.toPhysical(0), 1e-12);
        assertEquals(-244.07814407814408, signal.toPhysical(-1000), 1e-12);
        EdfSignal offset = TestEdf.signal("y", "mV", 10, 20, 0, 100, 1);
        assertEquals(12.5, offset.toPhysical(25), 1e-12);
    }

    @Test
    void writerRefusesIncompleteRecordsAndFiles() throws IOException {
        EdfHeader header = new EdfHeader("X X X X", "Startdate X X X X", "01.01.01", "00.00.00", "EDF+C", 2,
                BigDecimal.ONE, List.of(TestEdf.signal("a", "uV", -1, 1, -10, 10, 2), EdfSignal.annotations(8)));
        EdfWriter writer = EdfWriter.create(dir.resolve("x.edf"), header);
        writer.putSamples(0, new short[] {1, 2}, 0);
        assertThrows(IllegalStateException.class, writer::endRecord, "annotation signal not set");
        assertThrows(IllegalStateException.class, writer::close, "no record written");
    }
}
