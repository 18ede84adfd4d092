package dev.sandboxed.syscall;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Suggestions for misspelt names: the one mechanism every "did you mean" message uses. */
public final class Spelling {

    private Spelling() {
    }

    /** Candidates within a small edit distance of {@code unknown}, nearest first, ties alphabetical. */
    public static List<String> nearest(String unknown, Collection<String> candidates, int limit) {
        int threshold = Math.max(2, unknown.length() / 3);
        record Scored(String name, int distance) {
        }
        return candidates.stream()
                .map(name -> new Scored(name, distance(unknown, name)))
                .filter(s -> s.distance <= threshold || s.name.contains(unknown) && unknown.length() >= 3)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(limit)
                .map(Scored::name)
                .toList();
    }

    /** Damerau–Levenshtein (optimal string alignment) distance, so a swapped pair of letters costs one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
