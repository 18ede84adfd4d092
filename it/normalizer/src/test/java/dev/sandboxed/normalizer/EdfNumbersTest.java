package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

class EdfNumbersTest {
    @Test
    void valuesThatFitAreWrittenAsTheyAre() {
        assertEquals("-8092", EdfNumbers.format(-8092, RoundingMode.FLOOR));
        assertEquals("0.1", EdfNumbers.format(0.1, RoundingMode.CEILING));
        assertEquals("3276.7", EdfNumbers.format(3276.7, RoundingMode.CEILING));
        assertEquals("0", EdfNumbers.format(-0.0, RoundingMode.FLOOR));
    }

    @Test
    void longerValuesAreRoundedOutward() {
        assertEquals("-4.12346", EdfNumbers.format(-4.1234567891, RoundingMode.FLOOR));
        assertEquals("5.200001", EdfNumbers.format(5.2000001234, RoundingMode.CEILING));
        assertEquals("123456.8", EdfNumbers.format(123456.71234, RoundingMode.CEILING));
        assertEquals("-1234568", EdfNumbers.format(-1234567.5, RoundingMode.FLOOR));
    }

    @Test
    void roundedValuesStillContainTheOriginal() {
        double lo = -0.123456789123;
        double hi = 98765.4321987;
        assertTrue(EdfNumbers.round(lo, RoundingMode.FLOOR) <= lo);
        assertTrue(EdfNumbers.round(hi, RoundingMode.CEILING) >= hi);
    }

    @Test
    void refusesWhatCannotFitEightCharacters() {
        assertThrows(IllegalArgumentException.class, () -> EdfNumbers.format(-123456789, RoundingMode.FLOOR));
        assertThrows(IllegalArgumentException.class, () -> EdfNumbers.format(Double.NaN, RoundingMode.FLOOR));
    }

    @Test
    void quantizerUsesTheFullSixteenBitRange() {
        Quantizer q = Quantizer.covering(-4.1234567, 5.5);
        assertEquals(-4.12346, q.physicalMin());
        assertEquals(5.5, q.physicalMax());
        assertEquals(Short.MIN_VALUE, q.quantize(-4.1234567));
        assertEquals(Short.MAX_VALUE, q.quantize(5.5));
        assertEquals(Short.MAX_VALUE, q.quantize(1e9), "clamped");
        // The step is 9.62346 / 65535; decoding a quantised value is off by at most half a step.
        double step = (5.5 + 4.12346) / 65535;
        for (double v = -4.1; v < 5.5; v += 0.3371) {
            assertEquals(v, q.decode(q.quantize(v)), step / 2 + 1e-12);
        }
    }

    @Test
    void constantSignalGetsARangeEdfAccepts() {
        Quantizer q = Quantizer.covering(0, 0);
        assertEquals(-1.0, q.physicalMin());
        assertEquals(1.0, q.physicalMax());
    }
}
