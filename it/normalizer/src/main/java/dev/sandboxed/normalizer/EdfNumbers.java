package dev.sandboxed.normalizer;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers in 8-character EDF header fields. EDF has no exponent notation and no room, so a physical range has
 * to be rounded to fit; rounding the minimum down and the maximum up keeps every sample inside the range.
 */
final class EdfNumbers {
    static final int WIDTH = 8;

    private EdfNumbers() {
    }

    /**
     * The value itself when its shortest round-tripping decimal fits 8 characters, otherwise the most precise
     * decimal of at most 8 characters rounded in direction {@code mode}. Trying the shortest form first keeps
     * values read from a header (such as {@code 0.1}) unchanged when they are written back.
     *
     * @throws IllegalArgumentException if the value is not finite or its integer part alone needs more than 8
     *     characters
     */
    static String format(double value, RoundingMode mode) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot write " + value + " into an EDF header field");
        }
        String shortest = plain(BigDecimal.valueOf(value));
        if (shortest.length() <= WIDTH) {
            return shortest;
        }
        BigDecimal exact = new BigDecimal(value);
        for (int scale = WIDTH - 1; scale >= 0; scale--) {
            String text = plain(exact.setScale(scale, mode));
            if (text.length() <= WIDTH) {
                return text;
            }
        }
        throw new IllegalArgumentException(value + " needs more than " + WIDTH
                + " characters; EDF header numbers cannot be that large");
    }

    /** {@code value} rounded the same way {@link #format} would round it, as a double. */
    static double round(double value, RoundingMode mode) {
        return Double.parseDouble(format(value, mode));
    }

    /** Decimal text without exponent or trailing zeros, and without a sign on zero. */
    static String plain(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }
}
