package dev.sandboxed.normalizer;

import java.util.Objects;
import java.util.function.DoubleConsumer;

/**
 * Changes the sampling rate of one channel by an exact rational factor, fed samples in chunks of any size.
 *
 * <p><b>Method: polyphase windowed-sinc FIR.</b> In EDF a rate is a whole number of samples per data record, so
 * every rate change is exactly the rational {@code L/M} = (samples out per record)/(samples in per record),
 * reduced. Conceptually the input is upsampled by {@code L} (zeros inserted), low-pass filtered, and
 * downsampled by {@code M}; the polyphase form evaluates only the filter taps that meet real input samples at
 * the kept output instants. Linear interpolation was rejected because it neither removes content above the new
 * Nyquist frequency (it aliases when decimating) nor has a flat passband; an exact rational method also cannot
 * drift over a long recording the way a floating-point phase accumulator can.
 *
 * <p><b>Filter.</b> A sinc low-pass with its cutoff at 0.92 of the lower of the two Nyquist frequencies, shaped
 * by a Blackman window spanning 32 zero crossings on each side: about 74 dB of stopband attenuation, passband
 * flat to about 0.84 of Nyquist, stopband from about Nyquist. The same filter is the anti-alias filter when
 * decimating and the anti-image filter when interpolating. Each polyphase branch is normalised to unit DC gain
 * so a constant input stays exactly constant.
 *
 * <p><b>Timing and ends.</b> The filter is centred (zero phase): output sample {@code m} lies exactly at time
 * {@code m / rateOut}, so channels resampled by different factors stay aligned. Before the first and after the
 * last sample the signal is extended by repeating them, which avoids the ramp that zero padding would put on a
 * signal with a DC offset. A stream of {@code n} input samples yields {@code ceil(n * L / M)} outputs.
 *
 * <p>Output depends only on the input values, never on how they were chunked: each output is the same sum, in
 * the same order, over the same samples (see {@link #dot}). The filter itself is a {@link PolyphaseFilter},
 * designed once per ratio and shared by all channels that need it. The normalizer relies on this to make its two passes, and every thread
 * count, produce bit-identical results.
 */
final class PolyphaseResampler {
    private final PolyphaseFilter filter;
    private final int up;
    private final int down;
    private final int half;
    private double[] window = new double[256];
    /** Scratch for outputs whose inputs reach past either end of the signal. */
    private final double[] edge;
    private long windowStart;
    private int windowLength;
    private long received;
    private long produced;
    private double first;
    private double last;

    PolyphaseResampler(PolyphaseFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.up = filter.up();
        this.down = filter.down();
        this.half = filter.half();
        this.edge = new double[filter.longestBranch()];
    }

    /** A resampler from {@code inPerRecord} to {@code outPerRecord} samples per record with its own filter. */
    static PolyphaseResampler of(int inPerRecord, int outPerRecord) {
        return new PolyphaseResampler(PolyphaseFilter.design(inPerRecord, outPerRecord));
    }

    private boolean isIdentity() {
        return up == down;
    }

    /** Adds {@code count} samples and hands every output they complete to {@code sink}. */
    void push(double[] samples, int from, int count, DoubleConsumer sink) {
        if (count == 0) {
            return;
        }
        if (isIdentity()) {
            for (int i = 0; i < count; i++) {
                sink.accept(samples[from + i]);
            }
            received += count;
            produced += count;
            return;
        }
        if (received == 0) {
            first = samples[from];
        }
        last = samples[from + count - 1];
        discardBefore(lowestInput(produced));
        if (windowLength + count > window.length) {
            double[] grown = new double[Math.max(window.length * 2, windowLength + count)];
            System.arraycopy(window, 0, grown, 0, windowLength);
            window = grown;
        }
        System.arraycopy(samples, from, window, windowLength, count);
        windowLength += count;
        received += count;
        while (Math.floorDiv(produced * down + half, (long) up) < received) {
            sink.accept(output(produced));
            produced++;
        }
    }

    /** Emits the outputs that need samples past the end, extending the signal with its last sample. */
    void finish(DoubleConsumer sink) {
        if (isIdentity() || received == 0) {
            return;
        }
        long total = Math.floorDiv(received * up + down - 1, (long) down);
        while (produced < total) {
            sink.accept(output(produced));
            produced++;
        }
    }

    private double output(long m) {
        long position = m * down;
        long q = Math.floorDiv(position, (long) up);
        int phase = (int) (position - q * up);
        double[] branch = filter.branch(phase);
        long lo = q + filter.offset(phase);
        if (lo >= windowStart && lo + branch.length <= windowStart + windowLength) {
            return dot(branch, window, (int) (lo - windowStart));
        }
        for (int j = 0; j < branch.length; j++) {
            edge[j] = sampleAt(lo + j);
        }
        return dot(branch, edge, 0);
    }

    /**
     * {@code sum(branch[j] * values[base + j])} with four running sums, which lets the CPU overlap the additions
     * (a single sum is one long dependency chain). The order of operations is fixed, so results stay exact
     * repeats of each other.
     */
    private static double dot(double[] branch, double[] values, int base) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = branch.length;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += branch[j] * values[base + j];
            s1 += branch[j + 1] * values[base + j + 1];
            s2 += branch[j + 2] * values[base + j + 2];
            s3 += branch[j + 3] * values[base + j + 3];
        }
        for (; j < n; j++) {
            s0 += branch[j] * values[base + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private double sampleAt(long n) {
        if (n < 0) {
            return first;
        }
        if (n >= received) {
            return last;
        }
        return window[(int) (n - windowStart)];
    }

    private long lowestInput(long m) {
        return Math.max(0, Math.floorDiv(m * down - half + up - 1, (long) up));
    }

    private void discardBefore(long index) {
        int drop = (int) Math.min(windowLength, Math.max(0, index - windowStart));
        if (drop > 0) {
            System.arraycopy(window, drop, window, 0, windowLength - drop);
            windowLength -= drop;
            windowStart += drop;
        }
    }
}
