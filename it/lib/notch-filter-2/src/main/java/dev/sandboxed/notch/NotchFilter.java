package dev.sandboxed.notch;

import com.sun.management.OperatingSystemMXBean;
import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.lang.management.ManagementFactory;
import java.util.function.DoubleUnaryOperator;

/**
 * Removes 50 Hz mains hum: a second-order IIR notch (the audio-EQ-cookbook biquad) with a quality factor of 30,
 * so about 1.7 Hz wide. A channel sampled at 100 Hz or less cannot carry 50 Hz and passes unchanged.
 *
 * <p>New in 2.0: two implementations of the same arithmetic (state in fields, state in an array), and the first
 * use times both on a synthetic block with the process's CPU clock and keeps the faster for the JVM's lifetime.
 * Both do the same operations in the same order, so the output does not depend on the choice. Reading the CPU
 * clock is the {@code times} system call, which 1.0 never made.
 */
public final class NotchFilter implements ChannelFilter {
    static final double MAINS_HZ = 50;
    static final double QUALITY = 30;
    private static final int CALIBRATION_SAMPLES = 1 << 16;

    @Override
    public String name() {
        return "notch50";
    }

    @Override
    public DoubleUnaryOperator start(double rateHz) {
        if (rateHz <= 2 * MAINS_HZ) {
            return DoubleUnaryOperator.identity();
        }
        return Calibration.ARRAY_IS_FASTER ? new ArrayBiquad(new Coefficients(rateHz))
                : new FieldBiquad(new Coefficients(rateHz));
    }

    /** Measured once, on first use (the holder idiom makes the result a constant). */
    private static final class Calibration {
        static final boolean ARRAY_IS_FASTER = arrayIsFaster();

        private static boolean arrayIsFaster() {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Coefficients c = new Coefficients(1000);
            long start = os.getProcessCpuTime();
            double sink = run(new FieldBiquad(c));
            long fields = os.getProcessCpuTime() - start;
            start = os.getProcessCpuTime();
            sink += run(new ArrayBiquad(c));
            long array = os.getProcessCpuTime() - start;
            return array < fields && !Double.isNaN(sink);
        }

        private static double run(DoubleUnaryOperator filter) {
            double sum = 0;
            for (int i = 0; i < CALIBRATION_SAMPLES; i++) {
                sum += filter.applyAsDouble(Math.sin(i * 0.3));
            }
            return sum;
        }
    }

    private record Coefficients(double b0, double b1, double a1, double a2) {
        Coefficients(double rateHz) {
            this(Math.sin(2 * Math.PI * MAINS_HZ / rateHz) / (2 * QUALITY), Math.cos(2 * Math.PI * MAINS_HZ / rateHz));
        }

        private Coefficients(double alpha, double cosW0) {
            this(1 / (1 + alpha), -2 * cosW0 / (1 + alpha), -2 * cosW0 / (1 + alpha), (1 - alpha) / (1 + alpha));
        }
    }

    /** Direct form I with the state in fields. */
    private static final class FieldBiquad implements DoubleUnaryOperator {
        private final Coefficients c;
        private double x1;
        private double x2;
        private double y1;
        private double y2;

        FieldBiquad(Coefficients c) {
            this.c = c;
        }

        @Override
        public double applyAsDouble(double x) {
            double y = c.b0() * x + c.b1() * x1 + c.b0() * x2 - c.a1() * y1 - c.a2() * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            return y;
        }
    }

    /** Direct form I with the state in one array: {x1, x2, y1, y2}. */
    private static final class ArrayBiquad implements DoubleUnaryOperator {
        private final Coefficients c;
        private final double[] state = new double[4];

        ArrayBiquad(Coefficients c) {
            this.c = c;
        }

        @Override
        public double applyAsDouble(double x) {
            double[] s = state;
            double y = c.b0() * x + c.b1() * s[0] + c.b0() * s[1] - c.a1() * s[2] - c.a2() * s[3];
            s[1] = s[0];
            s[0] = x;
            s[3] = s[2];
            s[2] = y;
            return y;
        }
    }
}
