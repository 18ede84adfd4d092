package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TalTest {
    private static final Path FILE = Path.of("rec.edf");

    private static List<Annotation> parse(byte[] bytes) throws EdfFormatException {
        return Tal.parse(bytes, 0, bytes.length, FILE, 1000, "annotation signal 65 of data record 1");
    }

    @Test
    void parsesThePhysionetRecordLayout() throws EdfFormatException {
        byte[] bytes = Arrays.copyOf("+0\u0014\u0014\u0000+0\u001560.2\u0014T0\u0014\u0000"
                .getBytes(StandardCharsets.US_ASCII), 160);
        assertEquals(List.of(new Annotation("+0", "", ""), new Annotation("+0", "60.2", "T0")), parse(bytes));
    }

    @Test
    void writesWhatItReads() throws EdfFormatException {
        byte[] tal = Tal.tal(new BigDecimal("12.50"), "3", List.of("Eyes closed", "\u00e9v\u00e9nement"));
        assertArrayEquals(("+12.5\u00153\u0014Eyes closed\u0014\u00e9v\u00e9nement\u0014\u0000")
                .getBytes(StandardCharsets.UTF_8), tal);
        assertEquals(List.of(new Annotation("+12.5", "3", "Eyes closed"),
                new Annotation("+12.5", "3", "\u00e9v\u00e9nement")), parse(tal));
        assertArrayEquals("+7\u0014\u0014\u0000".getBytes(StandardCharsets.US_ASCII),
                Tal.timekeeping(BigDecimal.valueOf(7)));
    }

    @Test
    void corruptTalsNameTheByte() {
        byte[] bytes = Arrays.copyOf("+0\u0014\u0014\u0000x".getBytes(StandardCharsets.US_ASCII), 20);
        EdfFormatException e = assertThrows(EdfFormatException.class, () -> parse(bytes));
        assertEquals(1005, e.offset());
        assertEquals("annotation signal 65 of data record 1", e.field());
        assertEquals(FILE, e.file());
        assertTrue(e.getMessage().contains("rec.edf: annotation signal 65 of data record 1 at byte offset 1005"),
                e.getMessage());

        byte[] unclosed = "+1\u0014text".getBytes(StandardCharsets.US_ASCII);
        assertThrows(EdfFormatException.class, () -> parse(unclosed));
        byte[] noOnset = "+\u0014\u0014\u0000".getBytes(StandardCharsets.US_ASCII);
        assertThrows(EdfFormatException.class, () -> parse(noOnset));
    }
}
