package dev.sandboxed.bpf;

import org.junit.jupiter.api.Test;
import org.sat4j.core.VecInt;
import org.sat4j.minisat.SolverFactory;
import org.sat4j.specs.ContradictionException;
import org.sat4j.specs.ISolver;
import org.sat4j.specs.TimeoutException;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoding behind the dispatch bound must say satisfiable exactly when a tree exists: on small random domains a
 * brute force over every tree finds the least weighted cost {@code m}, and the encoding must be satisfiable at
 * {@code m} and unsatisfiable at {@code m - 1} (or unsatisfiable at any budget when no tree fits the depth).
 */
class DispatchBoundCnfTest {

    private static final long INFEASIBLE = Long.MAX_VALUE / 4;

    @Test
    void testsOnlyEncodingAgreesWithBruteForce() {
        agreesWithBruteForce(false, 20261201);
    }

    @Test
    void maskingEncodingAgreesWithBruteForce() {
        agreesWithBruteForce(true, 20261202);
    }

    private static void agreesWithBruteForce(boolean masking, long seed) {
        Random random = new Random(seed);
        int feasible = 0;
        int infeasible = 0;
        for (int round = 0; round < 150; round++) {
            int points = 5 + random.nextInt(12);
            int depth = 1 + random.nextInt(3);
            Map<Integer, Long> weights = new TreeMap<>();
            int denied;
            do {
                weights.clear();
                denied = 0;
                for (int p = 0; p < points; p++) {
                    if (random.nextInt(5) < 2) {
                        weights.put(p, 1L);
                    } else {
                        denied++;
                    }
                }
            } while (weights.isEmpty() || denied == 0);
            Integer[] allowed = weights.keySet().toArray(Integer[]::new);
            for (int hot = 0; hot < Math.min(2, allowed.length); hot++) {
                weights.put(allowed[random.nextInt(allowed.length)], 2L + random.nextInt(6));
            }
            long least = new BruteForce(weights, points, masking).least(fullSet(points), depth);
            String instance = "allowed " + weights + " below " + points + ", depth " + depth;
            if (least >= INFEASIBLE) {
                infeasible++;
                assertFalse(satisfiable(weights, points, depth, 10_000, masking), instance + ": no tree fits, but SAT");
            } else {
                feasible++;
                assertTrue(satisfiable(weights, points, depth, (int) least, masking), instance + ": UNSAT at the least cost " + least);
                assertFalse(satisfiable(weights, points, depth, (int) least - 1, masking), instance + ": SAT below the least cost " + least);
            }
        }
        assertTrue(feasible > 50 && infeasible > 10, "instances of both kinds: " + feasible + " feasible, " + infeasible + " not");
    }

    @Test
    void aSingleSplitCostsEveryAllowedNumberOneTest() {
        Map<Integer, Long> weights = new TreeMap<>(Map.of(0, 3L, 1, 1L));
        long least = new BruteForce(weights, 4, true).least(fullSet(4), 1);
        assertEquals(4, least);
        assertTrue(satisfiable(weights, 4, 1, 4, true));
        assertFalse(satisfiable(weights, 4, 1, 3, true));
    }

    @Test
    void aMaskSettlesWhatNoTwoTestsCan() {
        // Allowed: the numbers below 31 whose low three bits are 5. AND #7 then JEQ #5 does it in two.
        Map<Integer, Long> weights = new TreeMap<>(Map.of(5, 1L, 13, 1L, 21, 1L, 29, 1L));
        assertEquals(8, new BruteForce(weights, 31, true).least(fullSet(31), 2));
        assertTrue(new BruteForce(weights, 31, false).least(fullSet(31), 2) >= INFEASIBLE);
        assertTrue(satisfiable(weights, 31, 2, 8, true));
        assertFalse(satisfiable(weights, 31, 2, 7, true));
        assertFalse(satisfiable(weights, 31, 2, 10_000, false));
    }

    private static int fullSet(int points) {
        return (1 << points) - 1;
    }

    private static boolean satisfiable(Map<Integer, Long> weights, int points, int depth, int budget,
                                       boolean masking) {
        DispatchBoundCnf cnf = new DispatchBoundCnf();
        cnf.encode(weights, points, depth, budget, masking);
        ISolver solver = SolverFactory.newDefault();
        solver.newVar(cnf.variables());
        try {
            for (int[] clause : cnf.clauses()) {
                solver.addClause(new VecInt(clause));
            }
            return solver.isSatisfiable();
        } catch (ContradictionException e) {
            return false;
        } catch (TimeoutException e) {
            throw new AssertionError("sat4j timed out", e);
        }
    }

    /**
     * The least Σ w·instructions over every tree of JEQ/JGE/JSET tests (and, when masking, {@code A &= k} and
     * reloads), by recursion over the sets an instruction can leave and the mask the accumulator carries.
     */
    private static final class BruteForce {
        private static final int ALL = 31;
        private final Map<Integer, Long> weights;
        private final int points;
        private final boolean masking;
        private final int allowedSet;
        private final Map<Long, Long> memo = new HashMap<>();

        BruteForce(Map<Integer, Long> weights, int points, boolean masking) {
            this.weights = weights;
            this.points = points;
            this.masking = masking;
            int set = 0;
            for (int p : weights.keySet()) {
                set |= 1 << p;
            }
            this.allowedSet = set;
        }

        long least(int set, int depth) {
            return least(set, depth, ALL);
        }

        private long least(int set, int depth, int mask) {
            if ((set & allowedSet) == 0 || (set & ~allowedSet) == 0) {
                return 0;
            }
            if (depth == 0) {
                return INFEASIBLE;
            }
            long key = ((long) set << 16) | ((long) mask << 8) | depth;
            Long known = memo.get(key);
            if (known != null) {
                return known;
            }
            long paid = 0;
            for (int p = 0; p < points; p++) {
                if ((set & (1 << p)) != 0) {
                    paid += weights.getOrDefault(p, 0L);
                }
            }
            long best = INFEASIBLE;
            if (masking) {
                for (int k = 0; k <= ALL; k++) {
                    long rest = least(set, depth - 1, mask & k);
                    if (rest < INFEASIBLE) {
                        best = Math.min(best, paid + rest);
                    }
                }
                long rest = least(set, depth - 1, ALL);
                if (rest < INFEASIBLE) {
                    best = Math.min(best, paid + rest);
                }
            }
            for (int kind = 0; kind < 3; kind++) {
                for (int k = 0; k <= ALL; k++) {
                    int taken = 0;
                    for (int p = 0; p < points; p++) {
                        int a = p & mask;
                        boolean outcome = switch (kind) {
                            case 0 -> a == k;
                            case 1 -> a >= k;
                            default -> (a & k) != 0;
                        };
                        if (outcome) {
                            taken |= 1 << p;
                        }
                    }
                    int yes = set & taken;
                    int no = set & ~taken;
                    if (yes == 0 || no == 0) {
                        continue;
                    }
                    long first = least(yes, depth - 1, mask);
                    long second = first < INFEASIBLE ? least(no, depth - 1, mask) : INFEASIBLE;
                    if (second < INFEASIBLE) {
                        best = Math.min(best, paid + first + second);
                    }
                }
            }
            memo.put(key, best);
            return best;
        }
    }
}
