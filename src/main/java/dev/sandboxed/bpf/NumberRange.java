package dev.sandboxed.bpf;

/**
 * Consecutive syscall numbers, unsigned, with the same target.
 *
 * @param first the lowest number, 0 to 2^32-1
 * @param last the highest number, at least {@code first}
 * @param target index into the compiler's list of targets
 * @param weight how often numbers in the range are expected, relative to the others
 */
record NumberRange(long first, long last, int target, double weight) {

    static final long MAX = 0xffff_ffffL;

    NumberRange {
        if (first < 0 || last > MAX || first > last) {
            throw new IllegalArgumentException("bad range " + first + ".." + last);
        }
    }

    boolean single() {
        return first == last;
    }
}
