package dev.sandboxed.bpf;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exhaustive search behind the bound in {@link DispatchPlanner}'s javadoc: whether any dispatch below
 * {@code jge #26} (which must settle 0..25 at once) can decide the numbers 26..318 of the allow-100 list within six
 * more instructions while futex and epoll_wait stay within the depths the weighted target needs. Tests are every
 * {@code JEQ}, {@code JGE}/{@code JGT} and {@code JSET} with a constant; on 26..318 only the low nine bits of a mask
 * matter, so 511 masks stand for all of them. Restricting the domain to 26..318 only drops constraints (the numbers
 * above, x32 and ENOSYS need cells of their own), so "impossible" here is impossible for the whole line. The first
 * two questions take about 40 s and 14 min; the placements with futex at 2 or 3 and epoll_wait at 2 try every second test and
 * take hours. Run:
 * <pre>
 * java -cp $CP dev.sandboxed.bpf.DispatchBoundSearch
 * </pre>
 */
public final class DispatchBoundSearch {

    private static final int LOW = 26;
    private static final int HIGH = 318;
    private static final int WORDS = (HIGH - LOW + 1 + 63) / 64;

    private final long[] allowed;
    private final List<long[]> tests = new ArrayList<>();
    private final List<Map<Key, Boolean>> memo = new ArrayList<>();
    private long nodes;

    private DispatchBoundSearch(Set<Integer> allowedNumbers) {
        allowed = set(nr -> allowedNumbers.contains(nr));
        for (int mask = 1; mask < 512; mask++) {
            int m = mask;
            add(set(nr -> (nr & m) != 0));
        }
        for (int k = LOW + 1; k <= HIGH; k++) {
            int threshold = k;
            add(set(nr -> nr >= threshold));
        }
        for (int k = LOW; k <= HIGH; k++) {
            int value = k;
            add(set(nr -> nr == value));
        }
        for (int h = 0; h < 8; h++) {
            memo.add(new HashMap<>());
        }
    }

    public static void main(String[] args) {
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        Set<Integer> allowedNumbers = new HashSet<>();
        Corpus.allow100Names().forEach(name -> allowedNumbers.add(table.number(name).orElseThrow()));
        DispatchBoundSearch search = new DispatchBoundSearch(allowedNumbers);
        int futex = table.number("futex").orElseThrow();
        int epollWait = table.number("epoll_wait").orElseThrow();
        search.report("26..112 within 4 tests", search.range(26, 112), 4, Map.of());
        int[][] budgets = {{1, 3}, {2, 2}, {3, 1}};
        for (int[] budget : budgets) {
            Map<Integer, Integer> hot = Map.of(futex, budget[0], epollWait, budget[1]);
            search.report("26..318 within 6 tests, futex within " + budget[0] + ", epoll_wait within " + budget[1],
                    search.range(LOW, HIGH), 6, hot);
        }
    }

    private void report(String label, long[] domain, int height, Map<Integer, Integer> hot) {
        long start = System.nanoTime();
        nodes = 0;
        boolean feasible = hot.isEmpty() ? solve(domain, height) : solveHot(domain, height, hot);
        System.out.printf("%-70s %s (%d nodes, %.1f s)%n", label, feasible ? "FEASIBLE" : "impossible", nodes,
                (System.nanoTime() - start) / 1e9);
    }

    private interface NumberTest {
        boolean test(int nr);
    }

    private long[] set(NumberTest test) {
        long[] bits = new long[WORDS];
        for (int nr = LOW; nr <= HIGH; nr++) {
            if (test.test(nr)) {
                bits[(nr - LOW) >>> 6] |= 1L << (nr - LOW);
            }
        }
        return bits;
    }

    private long[] range(int first, int last) {
        return set(nr -> nr >= first && nr <= last);
    }

    private void add(long[] test) {
        tests.add(test);
    }

    private static boolean has(long[] s, int nr) {
        return (s[(nr - LOW) >>> 6] & (1L << (nr - LOW))) != 0;
    }

    private static long[] and(long[] a, long[] b) {
        long[] r = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            r[i] = a[i] & b[i];
        }
        return r;
    }

    private static long[] andNot(long[] a, long[] b) {
        long[] r = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            r[i] = a[i] & ~b[i];
        }
        return r;
    }

    private static boolean empty(long[] a) {
        for (long w : a) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean pure(long[] s) {
        return empty(and(s, allowed)) || empty(andNot(s, allowed));
    }

    /** Whether some decision tree of at most {@code height} tests sorts {@code s} into allowed and denied. */
    private boolean solve(long[] s, int height) {
        if (pure(s)) {
            return true;
        }
        if (height == 0) {
            return false;
        }
        Key key = new Key(s);
        Boolean known = memo.get(height).get(key);
        if (known != null) {
            return known;
        }
        nodes++;
        boolean result = false;
        if (height >= 3) {
            // A subset that cannot be decided proves the set cannot: the run boundaries, first of the dense part.
            long[] witness = boundaries(s, HIGH);
            long[] dense = boundaries(s, 112);
            if ((!Arrays.equals(dense, s) && !solve(dense, height)) || (!Arrays.equals(witness, s) && !solve(witness, height))) {
                memo.get(height).put(key, false);
                return false;
            }
        }
        Set<Key> seen = new HashSet<>();
        for (long[] test : tests) {
            long[] a = and(s, test);
            long[] b = andNot(s, test);
            if (empty(a) || empty(b) || !seen.add(new Key(a))) {
                continue;
            }
            if (solve(a, height - 1) && solve(b, height - 1)) {
                result = true;
                break;
            }
        }
        memo.get(height).put(key, result);
        return result;
    }

    /** The first and last number of every run of one verdict in {@code s}, up to {@code last}. */
    private long[] boundaries(long[] s, int last) {
        long[] witness = new long[WORDS];
        int previous = -1;
        boolean previousAllowed = false;
        for (int nr = LOW; nr <= last; nr++) {
            if (!has(s, nr)) {
                continue;
            }
            boolean allow = has(allowed, nr);
            if (previous < 0 || allow != previousAllowed) {
                mark(witness, nr);
                if (previous >= 0) {
                    mark(witness, previous);
                }
            }
            previous = nr;
            previousAllowed = allow;
        }
        if (previous >= 0) {
            mark(witness, previous);
        }
        return witness;
    }

    private static void mark(long[] s, int nr) {
        s[(nr - LOW) >>> 6] |= 1L << (nr - LOW);
    }

    /** As {@link #solve}, with hot numbers that must reach a leaf within their budget of tests. */
    private boolean solveHot(long[] s, int height, Map<Integer, Integer> hot) {
        Map<Integer, Integer> live = new HashMap<>();
        hot.forEach((nr, budget) -> {
            if (has(s, nr)) {
                live.put(nr, budget);
            }
        });
        if (pure(s)) {
            return true;
        }
        if (height == 0 || live.containsValue(0)) {
            return false;
        }
        if (live.isEmpty()) {
            return solve(s, height);
        }
        Map<Integer, Integer> next = new HashMap<>();
        live.forEach((nr, budget) -> next.put(nr, budget - 1));
        Set<Key> seen = new HashSet<>();
        for (long[] test : tests) {
            long[] a = and(s, test);
            long[] b = andNot(s, test);
            if (empty(a) || empty(b) || !seen.add(new Key(a))) {
                continue;
            }
            boolean settled = true;
            boolean aHot = false;
            for (Map.Entry<Integer, Integer> entry : next.entrySet()) {
                boolean inA = has(a, entry.getKey());
                aHot |= inA;
                if (entry.getValue() == 0 && !pure(inA ? a : b)) {
                    settled = false;
                }
            }
            if (!settled) {
                continue;
            }
            long[] first = aHot ? a : b;
            long[] second = aHot ? b : a;
            if (solveHot(first, height - 1, next) && solveHot(second, height - 1, next)) {
                return true;
            }
        }
        return false;
    }

    private record Key(long[] bits) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(bits, key.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
