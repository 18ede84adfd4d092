package dev.sandboxed.bpf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Plans the search over syscall numbers: a decision tree whose leaves are {@link NumberRange}s, of the least
 * expected cost (range weight times comparisons) among the trees no deeper than the shallowest possible plus a
 * slack. It is an optimal alphabetic tree computed by dynamic programming over spans of ranges, with three kinds of
 * nodes besides plain splits ({@code JGE}):
 * <ul>
 * <li>a {@code JEQ} on a one-number range between two ranges of one target settles three ranges at once;</li>
 * <li>a {@code JSET} on one bit settles a span whose target depends only on that bit (odd/even syscalls, the x32
 * bit above the table);</li>
 * <li>a {@code JEQ} on a hot single syscall (one carrying a large share of the weight) takes it out of the span,
 * joining its neighbours, so that it sits near the root without splitting everything around it; the compiler
 * hands such a syscall over as a range of its own even when its neighbours share its target.</li>
 * </ul>
 * A span whose ranges all share one target is a leaf.
 * Ties fall to the first option in a fixed order, so the plan is deterministic.
 *
 * <p>Why the longest path and the expected one cannot both be as small as the benchmark asks. A path runs its
 * {@code d} instructions on the number plus four that no layout avoids (the loads of {@code arch} and {@code nr},
 * the arch test, the return). On the benchmark allow-list (x86_64, read 1000, write 800, futex 600, epoll_wait 500,
 * close 100, 95 more at 1, total 3095) a worst path of 11 means {@code d ≤ 7} for every number, and a weighted mean
 * below 5.9 means {@code Σ w·d ≤ 5880}. No dispatch does both, whether made of {@code JEQ}, {@code JGE},
 * {@code JGT} and {@code JSET} tests with any constants alone or with {@code A &= k} and reloads of {@code nr} among
 * them (the only other instructions an allow path the kernel caches may run): {@code DispatchBoundCnf} under
 * {@code src/test} states the question as a SAT problem on the numbers 0..318 (fewer numbers only remove
 * constraints) and a solver answers unsatisfiable. With tests alone the least {@code Σ w·d} at depth 7 is at least
 * 6741, a weighted mean of 6.18. This planner's trees, made of splits, one-bit tests and hot single numbers, reach
 * 6.43 there, and 5.86 one instruction deeper.
 */
final class DispatchPlanner {

    private static final double INFINITE = Double.POSITIVE_INFINITY;
    private static final int MAX_HOT = 2;
    /** A single syscall is hot when it carries at least this fraction of all weight. */
    private static final double HOT_SHARE = 1.0 / 16;
    private static final double TIE_BREAK = 1e-6;

    private final long[] hotNumbers;
    private final Map<Integer, Span> spans = new HashMap<>();

    private DispatchPlanner(long[] hotNumbers) {
        this.hotNumbers = hotNumbers;
    }

    /**
     * @param ranges covering 0 to 2^32-1 in order; neighbours may share a target (a hot syscall kept apart from
     *               the cold numbers around it, so that it can be taken out alone)
     * @param depthSlack how many comparisons deeper than the shallowest tree any path may go
     */
    static DispatchNode plan(List<NumberRange> ranges, int depthSlack) {
        if (ranges.size() == 1) {
            return new DispatchNode.Leaf(ranges.get(0).target());
        }
        double total = ranges.stream().mapToDouble(NumberRange::weight).sum();
        double epsilon = Math.max(total, 1) * TIE_BREAK / ranges.size();
        List<NumberRange> weighted = ranges.stream()
                .map(r -> new NumberRange(r.first(), r.last(), r.target(), r.weight() + epsilon))
                .toList();
        long[] hot = IntStream.range(0, ranges.size())
                .filter(i -> ranges.get(i).single() && hot(ranges.get(i).weight(), total))
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -ranges.get(i).weight()).thenComparing(i -> i))
                .limit(MAX_HOT)
                .mapToLong(i -> ranges.get(i).first())
                .toArray();
        DispatchPlanner planner = new DispatchPlanner(hot);
        Span root = planner.span(0, weighted);
        int height = 0;
        planner.fillLevel(0);
        while (root.cost(height, 0, root.n - 1) == INFINITE) {
            planner.fillLevel(++height);
        }
        for (int extra = 0; extra < depthSlack; extra++) {
            planner.fillLevel(++height);
        }
        return root.tree(height, 0, root.n - 1);
    }

    /** Whether a syscall of this weight deserves a place near the root of its own. */
    static boolean hot(double weight, double total) {
        return total > 0 && weight >= total * HOT_SHARE;
    }

    private Span span(int removed, List<NumberRange> ranges) {
        Span existing = spans.get(removed);
        if (existing != null) {
            return existing;
        }
        Span span = new Span(removed, ranges);
        // Registered before linking, so a span reached twice (without a then b, or b then a) is built once.
        spans.put(removed, span);
        for (int hot = 0; hot < hotNumbers.length; hot++) {
            if (span.hotIndex[hot] >= 0) {
                span.linkWithout(hot);
            }
        }
        return span;
    }

    private void fillLevel(int height) {
        // A level reads only the level below, of this span and of those with more hot numbers taken out.
        spans.keySet().stream().sorted().forEach(key -> spans.get(key).fill(height));
    }

    /** One list of ranges: the original, or the original with some hot numbers taken out. */
    private final class Span {
        final int removed;
        final int n;
        final long[] first;
        final long[] last;
        final int[] target;
        final double[] prefix;
        final int[] rowStart;
        final int[] hotIndex;
        final Span[] without;
        final int[][] indexWithout;
        final byte[] bitTest;
        /** How many neighbours with different targets lie before each range: equal counts mean one target. */
        final int[] changes;
        final List<double[]> levels = new ArrayList<>();
        final List<int[]> reachRight = new ArrayList<>();
        final List<int[]> reachLeft = new ArrayList<>();

        Span(int removed, List<NumberRange> ranges) {
            this.removed = removed;
            n = ranges.size();
            first = new long[n];
            last = new long[n];
            target = new int[n];
            prefix = new double[n + 1];
            for (int i = 0; i < n; i++) {
                NumberRange range = ranges.get(i);
                first[i] = range.first();
                last[i] = range.last();
                target[i] = range.target();
                prefix[i + 1] = prefix[i] + range.weight();
            }
            rowStart = new int[n + 1];
            for (int i = 0; i < n; i++) {
                rowStart[i + 1] = rowStart[i] + (n - i);
            }
            hotIndex = new int[hotNumbers.length];
            for (int hot = 0; hot < hotNumbers.length; hot++) {
                hotIndex[hot] = (removed & (1 << hot)) != 0 ? -1 : singleAt(hotNumbers[hot]);
            }
            without = new Span[hotNumbers.length];
            indexWithout = new int[hotNumbers.length][];
            bitTest = bitTests();
            changes = new int[n];
            for (int i = 1; i < n; i++) {
                changes[i] = changes[i - 1] + (target[i] != target[i - 1] ? 1 : 0);
            }
        }

        boolean uniform(int i, int j) {
            return changes[i] == changes[j];
        }

        private int singleAt(long number) {
            int index = Arrays.binarySearch(first, number);
            return index >= 0 && first[index] == last[index] ? index : -1;
        }

        int tri(int i, int j) {
            return rowStart[i] + (j - i);
        }

        double weight(int i, int j) {
            return prefix[j + 1] - prefix[i];
        }

        double cost(int height, int i, int j) {
            return levels.get(height)[tri(i, j)];
        }

        void linkWithout(int hot) {
            int k = hotIndex[hot];
            boolean join = k > 0 && k < n - 1 && target[k - 1] == target[k + 1];
            List<NumberRange> ranges = new ArrayList<>(n - 1);
            int[] map = new int[n];
            for (int i = 0; i < n; i++) {
                if (i == k) {
                    map[i] = -1;
                } else if (join && i == k + 1) {
                    NumberRange before = ranges.remove(ranges.size() - 1);
                    ranges.add(new NumberRange(before.first(), last[i], target[i], before.weight() + weight(i, i)));
                    map[i] = ranges.size() - 1;
                } else {
                    ranges.add(new NumberRange(first[i], last[i], target[i], weight(i, i)));
                    map[i] = ranges.size() - 1;
                }
            }
            indexWithout[hot] = map;
            without[hot] = span(removed | (1 << hot), ranges);
        }

        /** For each span of three or more ranges, the lowest bit that alone decides its target, or -1. */
        private byte[] bitTests() {
            byte[] bits = new byte[rowStart[n]];
            Arrays.fill(bits, (byte) -1);
            int[] whenSet = new int[32];
            int[] whenClear = new int[32];
            for (int i = 0; i < n; i++) {
                Arrays.fill(whenSet, -1);
                Arrays.fill(whenClear, -1);
                int alive = 32;
                for (int j = i; j < n && alive > 0; j++) {
                    for (int bit = 0; bit < 32; bit++) {
                        if (whenSet[bit] == -2) {
                            continue;
                        }
                        long mask = 1L << bit;
                        boolean consistent = (!hasSet(first[j], last[j], mask) || agree(whenSet, bit, target[j]))
                                && (!hasClear(first[j], last[j], mask) || agree(whenClear, bit, target[j]));
                        if (!consistent) {
                            whenSet[bit] = -2;
                            alive--;
                        }
                    }
                    if (j - i >= 2) {
                        for (int bit = 0; bit < 32; bit++) {
                            if (whenSet[bit] >= 0 && whenClear[bit] >= 0 && whenSet[bit] != whenClear[bit]) {
                                bits[tri(i, j)] = (byte) bit;
                                break;
                            }
                        }
                    }
                }
            }
            return bits;
        }

        private static boolean agree(int[] seen, int bit, int target) {
            if (seen[bit] == -1) {
                seen[bit] = target;
                return true;
            }
            return seen[bit] == target;
        }

        /** True when one comparison settles the span: a JEQ on a lone middle number, or a JSET on one bit. */
        boolean settledByOne(int i, int j) {
            return (j - i == 2 && first[i + 1] == last[i + 1] && target[i] == target[j]) || bitTest[tri(i, j)] >= 0;
        }

        void fill(int height) {
            while (levels.size() <= height) {
                levels.add(null);
                reachRight.add(null);
                reachLeft.add(null);
            }
            double[] current = new double[rowStart[n]];
            Arrays.fill(current, INFINITE);
            int[] root = new int[rowStart[n]];
            // A span of one target is a leaf: no comparison needed.
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n && uniform(i, j); j++) {
                    current[tri(i, j)] = 0;
                    root[tri(i, j)] = i;
                }
            }
            if (height > 0) {
                double[] below = levels.get(height - 1);
                int[] right = reachRight.get(height - 1);
                int[] left = reachLeft.get(height - 1);
                // By span length, so that the two spans one shorter, which bound the split, are done.
                for (int length = 2; length <= n; length++) {
                    for (int i = 0, j = length - 1; j < n; i++, j++) {
                        if (!uniform(i, j)) {
                            current[tri(i, j)] = best(height, i, j, below, right, left, root);
                        }
                    }
                }
            }
            levels.set(height, current);
            int[] right = new int[n];
            int[] left = new int[n];
            for (int i = 0; i < n; i++) {
                int j = n - 1;
                while (current[tri(i, j)] == INFINITE) {
                    j--;
                }
                right[i] = j;
            }
            for (int j = 0; j < n; j++) {
                int i = 0;
                while (current[tri(i, j)] == INFINITE) {
                    i++;
                }
                left[j] = i;
            }
            reachRight.set(height, right);
            reachLeft.set(height, left);
        }

        /**
         * The cheapest way to settle span i..j within {@code height} comparisons. Splits are searched between the
         * best splits of the two spans one shorter (Knuth's bound for optimal search trees, which makes the whole
         * level quadratic), widened to every feasible split when that window finds nothing.
         */
        private double best(int height, int i, int j, double[] below, int[] right, int[] left, int[] root) {
            int from = Math.max(i, left[j] - 1);
            int to = Math.min(j - 1, right[i]);
            int windowFrom = Math.max(from, root[tri(i, j - 1)]);
            int windowTo = Math.min(to, root[tri(i + 1, j)]);
            double best = INFINITE;
            int bestSplit = windowFrom <= windowTo ? windowFrom : from;
            if (windowFrom <= windowTo) {
                for (int m = windowFrom; m <= windowTo; m++) {
                    double cost = below[tri(i, m)] + below[tri(m + 1, j)];
                    if (cost < best) {
                        best = cost;
                        bestSplit = m;
                    }
                }
            }
            if (best == INFINITE) {
                for (int m = from; m <= to; m++) {
                    double cost = below[tri(i, m)] + below[tri(m + 1, j)];
                    if (cost < best) {
                        best = cost;
                        bestSplit = m;
                    }
                }
            }
            root[tri(i, j)] = bestSplit;
            double spanWeight = weight(i, j);
            if (settledByOne(i, j)) {
                return spanWeight;
            }
            best += spanWeight;
            for (int hot = 0; hot < hotIndex.length; hot++) {
                int k = hotIndex[hot];
                if (k > i && k < j) {
                    double rest = without[hot].levels.get(height - 1)[without[hot].tri(indexWithout[hot][i], indexWithout[hot][j])];
                    if (spanWeight + rest < best) {
                        best = spanWeight + rest;
                    }
                }
            }
            return best;
        }

        DispatchNode tree(int height, int i, int j) {
            if (uniform(i, j)) {
                return new DispatchNode.Leaf(target[i]);
            }
            if (j - i == 2 && first[i + 1] == last[i + 1] && target[i] == target[j]) {
                return new DispatchNode.Branch(Opcodes.JEQ, (int) first[i + 1],
                        new DispatchNode.Leaf(target[i + 1]), new DispatchNode.Leaf(target[i]));
            }
            int bit = bitTest[tri(i, j)];
            if (bit >= 0) {
                long mask = 1L << bit;
                int whenSet = -1;
                int whenClear = -1;
                for (int r = i; r <= j; r++) {
                    if (hasSet(first[r], last[r], mask)) {
                        whenSet = target[r];
                    }
                    if (hasClear(first[r], last[r], mask)) {
                        whenClear = target[r];
                    }
                }
                return new DispatchNode.Branch(Opcodes.JSET, (int) mask,
                        new DispatchNode.Leaf(whenSet), new DispatchNode.Leaf(whenClear));
            }
            double[] below = levels.get(height - 1);
            double best = INFINITE;
            int bestSplit = -1;
            for (int m = i; m < j; m++) {
                double cost = below[tri(i, m)] + below[tri(m + 1, j)];
                if (cost < best) {
                    best = cost;
                    bestSplit = m;
                }
            }
            int bestHot = -1;
            for (int hot = 0; hot < hotIndex.length; hot++) {
                int k = hotIndex[hot];
                if (k > i && k < j) {
                    double rest = without[hot].cost(height - 1, indexWithout[hot][i], indexWithout[hot][j]);
                    if (rest < best) {
                        best = rest;
                        bestHot = hot;
                    }
                }
            }
            if (best == INFINITE) {
                throw new IllegalStateException("no plan for ranges " + i + ".." + j + " within height " + height);
            }
            if (bestHot >= 0) {
                int k = hotIndex[bestHot];
                return new DispatchNode.Branch(Opcodes.JEQ, (int) first[k], new DispatchNode.Leaf(target[k]),
                        without[bestHot].tree(height - 1, indexWithout[bestHot][i], indexWithout[bestHot][j]));
            }
            return new DispatchNode.Branch(Opcodes.JGE, (int) first[bestSplit + 1],
                    tree(height - 1, bestSplit + 1, j), tree(height - 1, i, bestSplit));
        }
    }

    /** Whether some number in {@code first..last} has the bit set. */
    static boolean hasSet(long first, long last, long mask) {
        if ((first & mask) != 0) {
            return true;
        }
        long next = (first & ~(2 * mask - 1)) | mask;
        return next <= last;
    }

    /** Whether some number in {@code first..last} has the bit clear. */
    static boolean hasClear(long first, long last, long mask) {
        if ((first & mask) == 0) {
            return true;
        }
        long next = (first | (2 * mask - 1)) + 1;
        return next <= last;
    }
}
