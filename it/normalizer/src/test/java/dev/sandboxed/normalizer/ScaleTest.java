package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class ScaleTest {
    private static RunningStats stats(double... values) {
        RunningStats stats = new RunningStats();
        for (double v : values) {
            stats.accept(v);
        }
        return stats;
    }

    @Test
    void statisticsMatchHandComputedValues() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, population sd = sqrt(32/8) = 2.
        RunningStats stats = stats(2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(8, stats.count());
        assertEquals(5.0, stats.mean(), 1e-12);
        assertEquals(2.0, stats.sd(), 1e-12);
        assertEquals(2.0, stats.min());
        assertEquals(9.0, stats.max());
    }

    @Test
    void largeOffsetDoesNotCostPrecision() {
        RunningStats stats = stats(1e9 + 2, 1e9 + 4, 1e9 + 4, 1e9 + 4, 1e9 + 5, 1e9 + 5, 1e9 + 7, 1e9 + 9);
        assertEquals(2.0, stats.sd(), 1e-6);
    }

    @Test
    void zscoreSubtractsMeanAndDividesBySd() {
        DoubleUnaryOperator z = Scale.ZSCORE.fit(stats(2, 4, 4, 4, 5, 5, 7, 9));
        assertEquals(-1.5, z.applyAsDouble(2), 1e-12);
        assertEquals(0.0, z.applyAsDouble(5), 1e-12);
        assertEquals(2.0, z.applyAsDouble(9), 1e-12);
    }

    @Test
    void minmaxMapsTheExtremesToMinusOneAndOne() {
        DoubleUnaryOperator m = Scale.MINMAX.fit(stats(-3, 1, 5));
        assertEquals(-1.0, m.applyAsDouble(-3), 1e-12);
        assertEquals(0.0, m.applyAsDouble(1), 1e-12);
        assertEquals(1.0, m.applyAsDouble(5), 1e-12);
        assertEquals(-0.5, m.applyAsDouble(-1), 1e-12);
    }

    @Test
    void constantChannelsScaleToZeroInsteadOfDividingByZero() {
        assertEquals(0.0, Scale.ZSCORE.fit(stats(3, 3, 3)).applyAsDouble(3));
        assertEquals(0.0, Scale.MINMAX.fit(stats(3, 3, 3)).applyAsDouble(3));
        assertEquals(3.0, Scale.NONE.fit(stats(3, 3, 3)).applyAsDouble(3));
    }
}
