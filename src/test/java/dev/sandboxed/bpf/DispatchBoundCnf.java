package dev.sandboxed.bpf;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The proof behind the bound in {@link DispatchPlanner}'s javadoc, as a SAT problem: whether any dispatch sorts the
 * numbers 0 up to the highest listed syscall of the allow-100 list into allowed and denied within {@code depth}
 * instructions on every path, with {@code Σ weight·instructions ≤ budget} over the listed syscalls. A node is a
 * {@code JEQ}, {@code JGE}/{@code JGT} or {@code JSET} test with any constant, or (unless {@code tests-only}) one of
 * the two instructions the kernel's cache also accepts on an allow path and that could make tests stronger:
 * {@code A &= k} and a reload of {@code nr}. On that domain a constant's bits above the ninth change nothing
 * ({@code JGT k} is {@code JGE k+1}), so nine-bit constants stand for all of them, and dropping the numbers above
 * (newer syscalls, the ENOSYS and x32 ranges, {@code -1}) only removes constraints: an unsatisfiable answer holds
 * for the whole number line. The tree is encoded complete; a node that holds only allowed numbers costs nothing
 * (the real program returns there), so a number's cost is the count of mixed nodes on its path. The budget is a
 * totalizer over the weight-1 calls plus one clause per depth combination of the hot ones.
 *
 * <pre>
 * java -cp $CP dev.sandboxed.bpf.DispatchBoundCnf target/dispatch 7 5880 [tests-only]
 * cadical target/dispatch/d7-b5880.cnf
 * </pre>
 *
 * With the fixed four instructions (loads of {@code arch} and {@code nr}, the arch test, the return), depth 7 is a
 * worst path of 11 and budget 5880 a weighted mean below 5.9 ({@code 4 + 5880/3095}).
 */
public final class DispatchBoundCnf {

    private static final int BITS = 9;

    private final List<int[]> clauses = new ArrayList<>();
    private int variables;

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : "target/dispatch");
        int depth = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int budget = args.length > 2 ? Integer.parseInt(args[2]) : 5880;
        boolean masking = args.length <= 3 || !args[3].equals("tests-only");
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        Map<Integer, Long> weights = new TreeMap<>();
        Corpus.allow100Weights().forEach((name, weight) -> weights.put(table.number(name).orElseThrow(), weight));
        int points = weights.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow() + 1;
        DispatchBoundCnf cnf = new DispatchBoundCnf();
        cnf.encode(weights, points, depth, budget, masking);
        Files.createDirectories(directory);
        Path file = directory.resolve("d" + depth + "-b" + budget + (masking ? "" : "-tests-only") + ".cnf");
        cnf.write(file);
        System.out.printf("%s: %d variables, %d clauses; unsatisfiable means no tree of depth %d reaches Σ w·d ≤ %d%n",
                file, cnf.variables, cnf.clauses.size(), depth, budget);
    }

    private int variable() {
        return ++variables;
    }

    private void clause(int... literals) {
        clauses.add(literals);
    }

    private void clause(List<Integer> literals) {
        clauses.add(literals.stream().mapToInt(Integer::intValue).toArray());
    }

    int variables() {
        return variables;
    }

    List<int[]> clauses() {
        return clauses;
    }

    /**
     * @param weights the allowed numbers and their weights, 1 for a cold call; every other number below
     *                {@code points} is denied
     * @param points  the domain's size, at most 512
     * @param masking whether a node may also be {@code A &= k} or a reload of {@code nr}: instructions that do not
     *                branch but cost one on every path through them, and that the kernel's cache still accepts
     */
    void encode(Map<Integer, Long> weights, int points, int depth, int budget, boolean masking) {
        int internal = (1 << depth) - 1;
        Node[] nodes = new Node[internal + 1];
        for (int node = 1; node <= internal; node++) {
            nodes[node] = node(masking);
        }
        // The accumulator at a node is nr & mask, the mask being what the ANDs since the last reload left: the
        // instructions on the way to a node are the same for every number that reaches it.
        for (int b = 0; b < BITS; b++) {
            clause(nodes[1].mask[b]);
        }
        for (int node = 1; node <= internal / 2; node++) {
            Node parent = nodes[node];
            for (int b = 0; b < BITS; b++) {
                equal(parent.mask[b], nodes[2 * node + 1].mask[b]);
                int next = nodes[2 * node].mask[b];
                for (int test : new int[] {parent.isSet, parent.isGe, parent.isEq}) {
                    clause(-test, -parent.mask[b], next);
                    clause(-test, parent.mask[b], -next);
                }
                clause(-parent.isAnd, -parent.maskAndK[b], next);
                clause(-parent.isAnd, parent.maskAndK[b], -next);
                clause(-parent.isReload, next);
            }
        }
        // Per leaf: true means allowed.
        int[] leafAllows = new int[1 << (depth + 1)];
        for (int leaf = 1 << depth; leaf < 1 << (depth + 1); leaf++) {
            leafAllows[leaf] = variable();
        }
        // reach[p][node] (0 for the root, which every number reaches); a test's true side is the lower child, and
        // an instruction that does not branch sends every number there.
        int[][] reach = new int[points][internal + 1];
        for (int p = 0; p < points; p++) {
            int verdict = weights.containsKey(p) ? 1 : -1;
            for (int node = 1; node <= internal; node++) {
                int outcome = outcome(p, nodes[node]);
                for (int side = 0; side < 2; side++) {
                    int child = 2 * node + side;
                    int taken = side == 0 ? outcome : -outcome;
                    List<Integer> implication = new ArrayList<>();
                    if (reach[p][node] != 0) {
                        implication.add(-reach[p][node]);
                    }
                    implication.add(-taken);
                    if (child <= internal) {
                        reach[p][child] = variable();
                        implication.add(reach[p][child]);
                    } else {
                        implication.add(verdict * leafAllows[child]);
                    }
                    clause(implication);
                }
            }
        }
        budget(weights, points, depth, budget, reach);
    }

    /** One node: what it does (exactly one kind), its constant, and the mask its accumulator carries. */
    private record Node(int isSet, int isGe, int isEq, int isAnd, int isReload, int[] k, int[] mask,
                        int[] maskXorK, int[] maskAndK) {
    }

    private Node node(boolean masking) {
        int[] kinds = new int[5];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = variable();
        }
        clause(kinds);
        for (int i = 0; i < kinds.length; i++) {
            for (int j = i + 1; j < kinds.length; j++) {
                clause(-kinds[i], -kinds[j]);
            }
        }
        if (!masking) {
            clause(-kinds[3]);
            clause(-kinds[4]);
        }
        int[] k = new int[BITS];
        int[] mask = new int[BITS];
        int[] xor = new int[BITS];
        int[] and = new int[BITS];
        for (int b = 0; b < BITS; b++) {
            k[b] = variable();
            mask[b] = variable();
            xor[b] = variable();
            and[b] = variable();
            clause(-xor[b], mask[b], k[b]);
            clause(-xor[b], -mask[b], -k[b]);
            clause(xor[b], -mask[b], k[b]);
            clause(xor[b], mask[b], -k[b]);
            clause(-and[b], mask[b]);
            clause(-and[b], k[b]);
            clause(and[b], -mask[b], -k[b]);
        }
        return new Node(kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], k, mask, xor, and);
    }

    private void equal(int a, int b) {
        clause(-a, b);
        clause(a, -b);
    }

    /** A variable equal to whether {@code p} takes the node's lower child, with its defining clauses. */
    private int outcome(int p, Node node) {
        int d = variable();
        int[] k = node.k;
        // "bit b of the accumulator (p & mask) differs from k's bit b"
        int[] differs = new int[BITS];
        for (int b = 0; b < BITS; b++) {
            differs[b] = ((p >> b) & 1) != 0 ? node.maskXorK[b] : k[b];
        }
        // JSET: d <-> OR of (mask & k)'s bits where p has a one.
        List<Integer> anyShared = new ArrayList<>(List.of(-node.isSet, -d));
        for (int b = 0; b < BITS; b++) {
            if (((p >> b) & 1) != 0) {
                clause(-node.isSet, -node.maskAndK[b], d);
                anyShared.add(node.maskAndK[b]);
            }
        }
        clause(anyShared);
        // JGE: decided by the highest bit where accumulator and k differ; equal means true.
        for (int b = 0; b < BITS; b++) {
            List<Integer> higherEqual = new ArrayList<>();
            for (int above = b + 1; above < BITS; above++) {
                higherEqual.add(differs[above]);
            }
            if (((p >> b) & 1) == 0) {
                clause(concat(higherEqual, -node.isGe, -k[b], -d));
            } else {
                clause(concat(higherEqual, -node.isGe, -k[b], node.mask[b], -d));
                clause(concat(higherEqual, -node.isGe, k[b], -node.mask[b], d));
            }
        }
        List<Integer> equalMeansTrue = new ArrayList<>(List.of(-node.isGe, d));
        Arrays.stream(differs).forEach(equalMeansTrue::add);
        clause(equalMeansTrue);
        // JEQ: d <-> no bit differs.
        for (int b = 0; b < BITS; b++) {
            clause(-node.isEq, -d, -differs[b]);
        }
        List<Integer> equal = new ArrayList<>(List.of(-node.isEq, d));
        Arrays.stream(differs).forEach(equal::add);
        clause(equal);
        // AND and reload do not branch.
        clause(-node.isAnd, d);
        clause(-node.isReload, d);
        return d;
    }

    private static List<Integer> concat(List<Integer> literals, int... more) {
        List<Integer> all = new ArrayList<>(literals);
        Arrays.stream(more).forEach(all::add);
        return all;
    }

    private void budget(Map<Integer, Long> weights, int points, int depth, int budget, int[][] reach) {
        int internal = (1 << depth) - 1;
        // mixed[node]: some denied number reaches the node, so an allowed number there pays its test.
        int[] mixed = new int[internal + 1];
        for (int node = 2; node <= internal; node++) {
            mixed[node] = variable();
            for (int p = 0; p < points; p++) {
                if (!weights.containsKey(p)) {
                    clause(-reach[p][node], mixed[node]);
                }
            }
        }
        // paid[p][level]: p's path passes a mixed node at that level (the root, level 0, is always paid).
        Map<Integer, int[]> paid = new TreeMap<>();
        for (int p : weights.keySet()) {
            int[] levels = new int[depth];
            for (int level = 1; level < depth; level++) {
                levels[level] = variable();
                for (int node = 1 << level; node < 1 << (level + 1); node++) {
                    clause(-reach[p][node], -mixed[node], levels[level]);
                }
            }
            paid.put(p, levels);
        }
        List<Integer> hot = weights.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        List<Integer> units = new ArrayList<>();
        for (Map.Entry<Integer, int[]> entry : paid.entrySet()) {
            int[] levels = entry.getValue();
            if (hot.contains(entry.getKey())) {
                for (int level = 2; level < depth; level++) {
                    clause(-levels[level], levels[level - 1]);
                }
            } else {
                for (int level = 1; level < depth; level++) {
                    units.add(levels[level]);
                }
            }
        }
        int cold = paid.size() - hot.size();
        int[] atLeast = totalizer(units);
        int[] hotDepths = new int[hot.size()];
        Arrays.fill(hotDepths, 1);
        do {
            long spent = cold;
            List<Integer> reached = new ArrayList<>();
            for (int h = 0; h < hot.size(); h++) {
                spent += weights.get(hot.get(h)) * hotDepths[h];
                if (hotDepths[h] >= 2) {
                    reached.add(-paid.get(hot.get(h))[hotDepths[h] - 1]);
                }
            }
            long left = budget - spent;
            if (left < 0) {
                clause(reached);
            } else if (left + 1 < atLeast.length) {
                reached.add(-atLeast[(int) left + 1]);
                clause(reached);
            }
        } while (next(hotDepths, depth));
    }

    private static boolean next(int[] digits, int max) {
        for (int i = 0; i < digits.length; i++) {
            if (digits[i] < max) {
                digits[i]++;
                return true;
            }
            digits[i] = 1;
        }
        return false;
    }

    /** Unary counter: {@code result[i]} is implied when at least {@code i} of the literals hold. */
    private int[] totalizer(List<Integer> literals) {
        if (literals.size() <= 1) {
            int[] result = new int[literals.size() + 1];
            if (!literals.isEmpty()) {
                result[1] = literals.get(0);
            }
            return result;
        }
        int half = literals.size() / 2;
        int[] left = totalizer(literals.subList(0, half));
        int[] right = totalizer(literals.subList(half, literals.size()));
        int[] result = new int[literals.size() + 1];
        for (int i = 1; i < result.length; i++) {
            result[i] = variable();
        }
        for (int i = 0; i < left.length; i++) {
            for (int j = 0; j < right.length; j++) {
                if (i + j == 0) {
                    continue;
                }
                List<Integer> implication = new ArrayList<>();
                if (i > 0) {
                    implication.add(-left[i]);
                }
                if (j > 0) {
                    implication.add(-right[j]);
                }
                implication.add(result[i + j]);
                clause(implication);
            }
        }
        return result;
    }

    private void write(Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
            out.write("p cnf " + variables + " " + clauses.size() + "\n");
            StringBuilder line = new StringBuilder();
            for (int[] c : clauses) {
                line.setLength(0);
                for (int literal : c) {
                    line.append(literal).append(' ');
                }
                out.write(line.append("0\n").toString());
            }
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
