package dev.sandboxed.normalizer;

import java.util.Objects;

/**
 * The header of one signal. Text fields are held trimmed; numeric fields parsed. An instance always satisfies
 * the EDF invariants the decoder relies on (digital minimum below maximum, distinct physical extremes), so
 * code holding one never has to check again.
 */
public record EdfSignal(String label, String transducer, String physicalDimension, double physicalMin,
        double physicalMax, int digitalMin, int digitalMax, String prefiltering, int samplesPerRecord,
        String reserved) {

    /** The label EDF+ reserves for signals that carry time-stamped annotation lists instead of samples. */
    public static final String ANNOTATIONS_LABEL = "EDF Annotations";

    public EdfSignal {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(transducer, "transducer");
        Objects.requireNonNull(physicalDimension, "physicalDimension");
        Objects.requireNonNull(prefiltering, "prefiltering");
        Objects.requireNonNull(reserved, "reserved");
        if (!(digitalMin < digitalMax)) {
            throw new IllegalArgumentException(label + ": digital minimum " + digitalMin
                    + " must be below digital maximum " + digitalMax);
        }
        if (digitalMin < Short.MIN_VALUE || digitalMax > Short.MAX_VALUE) {
            throw new IllegalArgumentException(label + ": digital range " + digitalMin + ".." + digitalMax
                    + " does not fit 16-bit samples");
        }
        if (!Double.isFinite(physicalMin) || !Double.isFinite(physicalMax) || physicalMin == physicalMax) {
            throw new IllegalArgumentException(label + ": physical minimum " + physicalMin + " and maximum "
                    + physicalMax + " must be finite and different");
        }
        if (samplesPerRecord < 1) {
            throw new IllegalArgumentException(label + ": samples per record must be at least 1, not "
                    + samplesPerRecord);
        }
    }

    /** An {@code EDF Annotations} signal of {@code samplesPerRecord} 2-byte samples, as EDF+ prescribes it. */
    public static EdfSignal annotations(int samplesPerRecord) {
        return new EdfSignal(ANNOTATIONS_LABEL, "", "", Short.MIN_VALUE, Short.MAX_VALUE, Short.MIN_VALUE,
                Short.MAX_VALUE, "", samplesPerRecord, "");
    }

    public boolean isAnnotations() {
        return label.equals(ANNOTATIONS_LABEL);
    }

    /** {@code (digital - dmin) * (pmax - pmin) / (dmax - dmin) + pmin}: the EDF decoding of a sample. */
    public double toPhysical(int digital) {
        return (digital - digitalMin) * (physicalMax - physicalMin) / (digitalMax - digitalMin) + physicalMin;
    }
}
