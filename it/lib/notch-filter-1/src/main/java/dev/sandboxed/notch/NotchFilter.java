package dev.sandboxed.notch;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.util.function.DoubleUnaryOperator;

/**
 * Removes 50 Hz mains hum: a second-order IIR notch (the audio-EQ-cookbook biquad) with a quality factor of 30,
 * so about 1.7 Hz wide. A channel sampled at 100 Hz or less cannot carry 50 Hz and passes unchanged.
 */
public final class NotchFilter implements ChannelFilter {
    static final double MAINS_HZ = 50;
    static final double QUALITY = 30;

    @Override
    public String name() {
        return "notch50";
    }

    @Override
    public DoubleUnaryOperator start(double rateHz) {
        if (rateHz <= 2 * MAINS_HZ) {
            return DoubleUnaryOperator.identity();
        }
        return new Biquad(rateHz);
    }

    /** Direct form I: the last two inputs and outputs are the whole state. */
    private static final class Biquad implements DoubleUnaryOperator {
        private final double b0;
        private final double b1;
        private final double a1;
        private final double a2;
        private double x1;
        private double x2;
        private double y1;
        private double y2;

        Biquad(double rateHz) {
            double w0 = 2 * Math.PI * MAINS_HZ / rateHz;
            double alpha = Math.sin(w0) / (2 * QUALITY);
            double a0 = 1 + alpha;
            b0 = 1 / a0;
            b1 = -2 * Math.cos(w0) / a0;
            a1 = b1;
            a2 = (1 - alpha) / a0;
        }

        @Override
        public double applyAsDouble(double x) {
            double y = b0 * x + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            return y;
        }
    }
}
