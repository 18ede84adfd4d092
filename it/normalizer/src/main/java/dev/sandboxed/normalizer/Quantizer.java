package dev.sandboxed.normalizer;

import java.math.RoundingMode;

/**
 * Maps physical values onto the full 16-bit digital range for a physical range taken from the data. The range
 * is rounded outward to what an 8-character EDF header field can hold, and the rounded values are the ones used
 * for quantising, so that what a reader decodes from the header is exactly what was encoded.
 */
final class Quantizer {
    static final int DIGITAL_MIN = Short.MIN_VALUE;
    static final int DIGITAL_MAX = Short.MAX_VALUE;

    private final double physicalMin;
    private final double physicalMax;
    private final double scale;

    private Quantizer(double physicalMin, double physicalMax) {
        this.physicalMin = physicalMin;
        this.physicalMax = physicalMax;
        this.scale = (DIGITAL_MAX - DIGITAL_MIN) / (physicalMax - physicalMin);
    }

    /**
     * A quantizer whose range holds {@code [lo, hi]}. A constant signal ({@code lo == hi}) gets {@code [lo - 1,
     * lo + 1]}, since EDF forbids equal physical extremes.
     *
     * @throws IllegalArgumentException if the range cannot be written in 8 characters
     */
    static Quantizer covering(double lo, double hi) {
        if (!(lo < hi)) {
            lo -= 1;
            hi += 1;
        }
        return new Quantizer(EdfNumbers.round(lo, RoundingMode.FLOOR), EdfNumbers.round(hi, RoundingMode.CEILING));
    }

    double physicalMin() {
        return physicalMin;
    }

    double physicalMax() {
        return physicalMax;
    }

    /** The nearest digital value; values outside the range are clamped to its ends. */
    short quantize(double physical) {
        long digital = Math.round((physical - physicalMin) * scale) + DIGITAL_MIN;
        return (short) Math.max(DIGITAL_MIN, Math.min(DIGITAL_MAX, digital));
    }

    /** The EDF decoding of {@code digital} under this range. */
    double decode(short digital) {
        return (digital - DIGITAL_MIN) * (physicalMax - physicalMin) / (DIGITAL_MAX - DIGITAL_MIN) + physicalMin;
    }

    /** Decimal places that resolve one quantisation step, and one more. */
    int decimals() {
        double step = (physicalMax - physicalMin) / (DIGITAL_MAX - DIGITAL_MIN);
        return (int) Math.max(0, Math.min(10, 1 - Math.floor(Math.log10(step))));
    }
}
