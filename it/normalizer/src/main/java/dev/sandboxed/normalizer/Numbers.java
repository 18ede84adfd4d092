package dev.sandboxed.normalizer;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Text for numbers in reports and CSV files. Fixed decimal places, no exponents and no locale, so that the same
 * value is always the same text: outputs must be byte-identical across runs, machines and thread counts.
 */
final class Numbers {
    static final int REPORT_DECIMALS = 6;
    private static final long[] POWERS = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L};

    private Numbers() {
    }

    /** {@code value} rounded half-even to 6 decimals, trailing zeros dropped; {@code null} if not finite. */
    static String report(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        return EdfNumbers.plain(new BigDecimal(value).setScale(REPORT_DECIMALS, RoundingMode.HALF_EVEN));
    }

    /** Appends {@code value} with exactly {@code decimals} decimals (at most 10), rounded half away from zero. */
    static void fixed(double value, int decimals, StringBuilder out) {
        long power = POWERS[decimals];
        double scaled = Math.abs(value) * power;
        if (!(scaled < 9e15)) {
            out.append(new BigDecimal(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString());
            return;
        }
        long units = Math.round(scaled);
        if (units != 0 && value < 0) {
            out.append('-');
        }
        out.append(units / power);
        if (decimals > 0) {
            out.append('.');
            String fraction = Long.toString(units % power);
            for (int i = fraction.length(); i < decimals; i++) {
                out.append('0');
            }
            out.append(fraction);
        }
    }
}
