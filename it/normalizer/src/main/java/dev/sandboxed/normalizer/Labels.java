package dev.sandboxed.normalizer;

import java.util.Locale;
import java.util.Set;

/**
 * Maps the many spellings of EEG electrode labels ({@code Fc5.}, {@code C3..}, {@code EEG Fp1}) to one:
 * {@code EEG } plus the upper-case 10-10 position name. Labels that are not a known electrode position stay as
 * they are, because guessing at an unknown label would silently mislabel data.
 */
public final class Labels {
    public static final String EEG_PREFIX = "EEG ";

    /** 10-10 positions (which include the 10-20 ones), the older 10-20 names T3-T6, and ear/mastoid references. */
    private static final Set<String> POSITIONS = Set.of(
            "NZ", "FP1", "FPZ", "FP2",
            "AF9", "AF7", "AF5", "AF3", "AF1", "AFZ", "AF2", "AF4", "AF6", "AF8", "AF10",
            "F9", "F7", "F5", "F3", "F1", "FZ", "F2", "F4", "F6", "F8", "F10",
            "FT9", "FT7", "FC5", "FC3", "FC1", "FCZ", "FC2", "FC4", "FC6", "FT8", "FT10",
            "T9", "T7", "C5", "C3", "C1", "CZ", "C2", "C4", "C6", "T8", "T10",
            "TP9", "TP7", "CP5", "CP3", "CP1", "CPZ", "CP2", "CP4", "CP6", "TP8", "TP10",
            "P9", "P7", "P5", "P3", "P1", "PZ", "P2", "P4", "P6", "P8", "P10",
            "PO9", "PO7", "PO5", "PO3", "PO1", "POZ", "PO2", "PO4", "PO6", "PO8", "PO10",
            "O1", "OZ", "O2", "I1", "IZ", "I2",
            "T3", "T4", "T5", "T6", "A1", "A2", "M1", "M2");

    private Labels() {
    }

    /** {@code Fc5.} → {@code EEG FC5}; a label that is no known position is returned trimmed but unchanged. */
    public static String harmonise(String label) {
        String name = label.replace(".", "").trim().toUpperCase(Locale.ROOT);
        if (name.startsWith(EEG_PREFIX)) {
            name = name.substring(EEG_PREFIX.length()).trim();
        }
        return POSITIONS.contains(name) ? EEG_PREFIX + name : label.trim();
    }
}
