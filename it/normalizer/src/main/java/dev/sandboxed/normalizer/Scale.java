package dev.sandboxed.normalizer;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Per-channel amplitude scaling. Each mode is fitted to the statistics of the whole channel, which is why the
 * normalizer reads a recording twice: the first pass measures, the second scales.
 */
public enum Scale {
    /** Subtract the mean, divide by the (population) standard deviation. */
    ZSCORE {
        @Override
        DoubleUnaryOperator fit(RunningStats stats) {
            double mean = stats.mean();
            double sd = stats.sd();
            if (!(sd > 0)) {
                return x -> 0;
            }
            return x -> (x - mean) / sd;
        }
    },
    /** Map the channel's minimum to -1 and its maximum to 1. */
    MINMAX {
        @Override
        DoubleUnaryOperator fit(RunningStats stats) {
            double min = stats.min();
            double span = stats.max() - min;
            if (!(span > 0)) {
                return x -> 0;
            }
            // Clamped because rounding could otherwise put the extremes a hair outside [-1, 1].
            return x -> Math.max(-1, Math.min(1, 2 * (x - min) / span - 1));
        }
    },
    /** Leave amplitudes as they are. */
    NONE {
        @Override
        DoubleUnaryOperator fit(RunningStats stats) {
            return x -> x;
        }
    };

    /**
     * The scaling for a channel with these statistics. Every function returned is monotonically non-decreasing,
     * so applying it to the channel's minimum and maximum bounds all its scaled samples.
     */
    abstract DoubleUnaryOperator fit(RunningStats stats);

    /** The name used on the command line and in reports. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Scale parse(String text) throws UsageException {
        for (Scale scale : values()) {
            if (scale.optionName().equals(text)) {
                return scale;
            }
        }
        throw new UsageException("option --scale takes zscore, minmax or none, not '" + text + "'");
    }
}
