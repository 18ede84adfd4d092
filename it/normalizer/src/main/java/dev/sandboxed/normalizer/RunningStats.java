package dev.sandboxed.normalizer;

/**
 * Count, mean, standard deviation, minimum and maximum of a stream of samples, in one pass and constant memory.
 * Uses Welford's update rather than sums of squares, which lose all precision on EEG channels that ride on a
 * large DC offset.
 */
final class RunningStats {
    private long count;
    private double mean;
    private double squares;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    void accept(double x) {
        count++;
        double delta = x - mean;
        mean += delta / count;
        squares += delta * (x - mean);
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
    }

    long count() {
        return count;
    }

    /** NaN before the first sample. */
    double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population standard deviation (divides by n): the spread of this recording, not an estimate. */
    double sd() {
        return count == 0 ? Double.NaN : Math.sqrt(squares / count);
    }

    double min() {
        return count == 0 ? Double.NaN : min;
    }

    double max() {
        return count == 0 ? Double.NaN : max;
    }
}
