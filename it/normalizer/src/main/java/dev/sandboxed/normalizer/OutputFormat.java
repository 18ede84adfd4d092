package dev.sandboxed.normalizer;

import java.util.Locale;

/** What the normalized signals are written as. */
public enum OutputFormat {
    /** EDF+C with the annotations carried over; the default. */
    EDF,
    /** Physical values at one common rate, one row per sample instant. */
    CSV;

    /** The file name extension, with its dot. */
    public String extension() {
        return "." + name().toLowerCase(Locale.ROOT);
    }

    static OutputFormat parse(String text) throws UsageException {
        switch (text) {
            case "edf":
                return EDF;
            case "csv":
                return CSV;
            default:
                throw new UsageException("option --format takes edf or csv, not '" + text + "'");
        }
    }
}
