package dev.sandboxed.normalizer;

/**
 * A small pseudo-random generator defined entirely here (Steele, Lea and Flood's SplitMix64), so that a seed
 * produces the same recording on every JDK: {@code java.util.Random}'s Gaussian and {@code SplittableRandom}'s
 * algorithms are not promised to stay the same.
 */
final class SplitMix64 {
    private long state;
    private double spareGaussian = Double.NaN;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal, by the Box-Muller transform; values come in pairs, the second is kept for the next call. */
    double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double value = spareGaussian;
            spareGaussian = Double.NaN;
            return value;
        }
        double u = 1 - nextDouble();
        double v = nextDouble();
        double radius = Math.sqrt(-2 * Math.log(u));
        spareGaussian = radius * Math.sin(2 * Math.PI * v);
        return radius * Math.cos(2 * Math.PI * v);
    }
}
