package dev.sandboxed.normalizer;

/**
 * The low-pass filter of a {@link PolyphaseResampler} for one rational ratio, split into its polyphase branches.
 * Immutable, so every channel with the same ratio shares one: a filter for a large ratio holds megabytes.
 * See {@link PolyphaseResampler} for why it is designed this way.
 */
final class PolyphaseFilter {
    private static final int ZERO_CROSSINGS = 32;
    private static final double CUTOFF = 0.92;
    /** Keeps a filter below about 2 MB; ratios needing more have no practical use for EEG. */
    static final int MAX_FACTOR = 4096;

    private final int up;
    private final int down;
    private final int half;
    /** {@code branches[r][j]}: weight of input {@code floor(position / up) + offsets[r] + j} at phase {@code r}. */
    private final double[][] branches;
    private final long[] offsets;

    private PolyphaseFilter(int up, int down, int half, double[][] branches, long[] offsets) {
        this.up = up;
        this.down = down;
        this.half = half;
        this.branches = branches;
        this.offsets = offsets;
    }

    /**
     * The filter from {@code inPerRecord} to {@code outPerRecord} samples per record.
     *
     * @throws IllegalArgumentException if the reduced ratio needs a factor above {@link #MAX_FACTOR}
     */
    static PolyphaseFilter design(int inPerRecord, int outPerRecord) {
        if (inPerRecord < 1 || outPerRecord < 1) {
            throw new IllegalArgumentException("samples per record must be positive: " + inPerRecord + " -> "
                    + outPerRecord);
        }
        int gcd = gcd(inPerRecord, outPerRecord);
        int up = outPerRecord / gcd;
        int down = inPerRecord / gcd;
        if (up == down) {
            return new PolyphaseFilter(1, 1, 0, new double[][] {{1}}, new long[] {0});
        }
        int factor = Math.max(up, down);
        if (factor > MAX_FACTOR) {
            throw new IllegalArgumentException("resampling " + inPerRecord + " to " + outPerRecord
                    + " samples per record is the ratio " + up + "/" + down + ", which needs an interpolation "
                    + "factor above " + MAX_FACTOR + "; choose a rate with a simpler ratio to the original");
        }
        int half = ZERO_CROSSINGS * factor;
        double[] taps = windowedSinc(up, half, CUTOFF * 0.5 / factor);
        double[][] branches = new double[up][];
        long[] offsets = new long[up];
        for (int r = 0; r < up; r++) {
            long lo = Math.floorDiv(r - half + up - 1, (long) up);
            long hi = Math.floorDiv(r + half, (long) up);
            double[] branch = new double[(int) (hi - lo + 1)];
            for (int j = 0; j < branch.length; j++) {
                branch[j] = taps[(int) (r - (lo + j) * up) + half];
            }
            branches[r] = branch;
            offsets[r] = lo;
        }
        return new PolyphaseFilter(up, down, half, branches, offsets);
    }

    int up() {
        return up;
    }

    int down() {
        return down;
    }

    /** Half the filter length in upsampled samples: how far an output looks back and ahead. */
    int half() {
        return half;
    }

    /** The weights of phase {@code phase}; shared, not to be modified. */
    double[] branch(int phase) {
        return branches[phase];
    }

    /** The first input of phase {@code phase}, relative to {@code floor(position / up)}. */
    long offset(int phase) {
        return offsets[phase];
    }

    int longestBranch() {
        int longest = 0;
        for (double[] branch : branches) {
            longest = Math.max(longest, branch.length);
        }
        return longest;
    }

    /** Blackman-windowed sinc over taps -half..half, each polyphase branch normalised to a sum of 1. */
    private static double[] windowedSinc(int up, int half, double cutoff) {
        double[] taps = new double[2 * half + 1];
        for (int k = -half; k <= half; k++) {
            double x = 2 * cutoff * k;
            double sinc = k == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
            double w = 0.42 + 0.5 * Math.cos(Math.PI * k / half) + 0.08 * Math.cos(2 * Math.PI * k / half);
            taps[k + half] = sinc * w;
        }
        double[] branchSums = new double[up];
        for (int k = -half; k <= half; k++) {
            branchSums[Math.floorMod(k, up)] += taps[k + half];
        }
        for (int k = -half; k <= half; k++) {
            taps[k + half] /= branchSums[Math.floorMod(k, up)];
        }
        return taps;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
