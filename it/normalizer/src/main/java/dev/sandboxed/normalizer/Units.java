package dev.sandboxed.normalizer;

import java.util.OptionalDouble;

/**
 * Voltage units and their factor to microvolts, the unit EEG amplitudes are compared in. The prefix is read
 * case-sensitively ({@code mV} is millivolt; {@code MV} would be megavolt and is not accepted) except for the
 * micro sign, which recordings spell {@code u}, {@code U}, {@code µ} (U+00B5) or {@code μ} (U+03BC).
 */
public final class Units {
    public static final String MICROVOLT = "uV";

    private Units() {
    }

    /** The factor that turns a value in {@code unit} into µV; empty for anything that is not a voltage. */
    public static OptionalDouble toMicrovolts(String unit) {
        String trimmed = unit.trim();
        if (trimmed.isEmpty() || trimmed.charAt(trimmed.length() - 1) != 'V') {
            return OptionalDouble.empty();
        }
        switch (trimmed.substring(0, trimmed.length() - 1)) {
            case "":
                return OptionalDouble.of(1e6);
            case "m":
                return OptionalDouble.of(1e3);
            case "u":
            case "U":
            case "\u00b5":
            case "\u03bc":
                return OptionalDouble.of(1);
            case "n":
                return OptionalDouble.of(1e-3);
            default:
                return OptionalDouble.empty();
        }
    }
}
