package dev.sandboxed.normalizer;

import java.util.Objects;

/**
 * What becomes of one input signal: where it is, what it is renamed to, how its unit is converted, and how many
 * samples per record it has after resampling.
 *
 * @param signal index of the signal in the input header
 * @param source the input signal's header
 * @param label the output label
 * @param unit the unit after conversion (the input's when it is not converted)
 * @param unitFactor multiplies physical values into {@code unit}
 * @param samplesOut output samples per data record
 * @param filter the resampling filter from the source's samples per record to {@code samplesOut}
 */
record ChannelPlan(int signal, EdfSignal source, String label, String unit, double unitFactor, int samplesOut,
        PolyphaseFilter filter) {
    ChannelPlan {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(unit, "unit");
        if (!(unitFactor > 0) || Double.isInfinite(unitFactor)) {
            throw new IllegalArgumentException("unit factor must be positive and finite, not " + unitFactor);
        }
        if (samplesOut < 1) {
            throw new IllegalArgumentException("samples out per record must be at least 1, not " + samplesOut);
        }
    }
}
