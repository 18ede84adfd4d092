package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PolyphaseResamplerTest {

    private static double[] sine(double hz, double rate, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    private static double[] resample(int in, int out, double[] x, int chunk) {
        PolyphaseResampler resampler = PolyphaseResampler.of(in, out);
        double[] y = new double[(int) Math.ceil((double) x.length * out / in)];
        int[] n = {0};
        for (int from = 0; from < x.length; from += chunk) {
            resampler.push(x, from, Math.min(chunk, x.length - from), v -> y[n[0]++] = v);
        }
        resampler.finish(v -> y[n[0]++] = v);
        assertEquals(y.length, n[0], "ceil(n * L / M) outputs");
        return y;
    }

    @Test
    void tenHertzSineKeepsItsValuesAt160To128Hz() {
        double[] y = resample(160, 128, sine(10, 160, 1600), 160);
        assertEquals(1280, y.length);
        double worst = 0;
        // Away from the ends, output sample m must be sin(2 pi 10 m / 128): the filter is centred, so no delay.
        for (int m = 128; m < 1280 - 128; m++) {
            worst = Math.max(worst, Math.abs(y[m] - Math.sin(2 * Math.PI * 10 * m / 128.0)));
        }
        assertTrue(worst < 1e-3, "largest error " + worst);
    }

    @Test
    void upsamplingInterpolatesASine() {
        double[] y = resample(100, 250, sine(7, 100, 1000), 37);
        assertEquals(2500, y.length);
        double worst = 0;
        for (int m = 250; m < 2500 - 250; m++) {
            worst = Math.max(worst, Math.abs(y[m] - Math.sin(2 * Math.PI * 7 * m / 250.0)));
        }
        assertTrue(worst < 1e-3, "largest error " + worst);
    }

    @Test
    void contentAboveTheNewNyquistIsRemovedNotAliased() {
        // 70 Hz fits a 160 Hz recording but not a 128 Hz one (Nyquist 64 Hz); without an anti-alias filter it
        // would fold to 58 Hz at full amplitude.
        double[] y = resample(160, 128, sine(70, 160, 1600), 160);
        double peak = 0;
        for (int m = 128; m < 1280 - 128; m++) {
            peak = Math.max(peak, Math.abs(y[m]));
        }
        assertTrue(peak < 1e-3, "70 Hz leaked through with amplitude " + peak);
    }

    @Test
    void constantStaysExactlyConstant() {
        double[] x = new double[500];
        Arrays.fill(x, 42.5);
        for (double v : resample(100, 64, x, 100)) {
            assertEquals(42.5, v, 1e-12);
        }
        for (double v : resample(64, 100, Arrays.copyOf(x, 320), 64)) {
            assertEquals(42.5, v, 1e-12);
        }
    }

    @Test
    void outputDoesNotDependOnChunking() {
        double[] x = new double[3000];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i * 0.37) * 100 + Math.cos(i * 0.011) * 30 + (i % 7);
        }
        double[] whole = resample(256, 100, x, x.length);
        assertArrayEquals(whole, resample(256, 100, x, 1));
        assertArrayEquals(whole, resample(256, 100, x, 256));
        assertArrayEquals(whole, resample(256, 100, x, 1000));
    }

    @Test
    void equalRatesPassSamplesThroughUntouched() {
        double[] x = {1.5, -2.25, 3.125};
        assertArrayEquals(x, resample(160, 160, x, 2));
        PolyphaseFilter same = PolyphaseFilter.design(80, 160 / 2);
        assertEquals(1, same.up());
        assertEquals(1, same.down());
    }

    @Test
    void reducesTheRatio() {
        PolyphaseFilter filter = PolyphaseFilter.design(160, 128);
        assertEquals(4, filter.up());
        assertEquals(5, filter.down());
    }

    @Test
    void refusesRatiosThatNeedAHugeFilter() {
        assertThrows(IllegalArgumentException.class, () -> PolyphaseFilter.design(5003, 5000));
    }
}
