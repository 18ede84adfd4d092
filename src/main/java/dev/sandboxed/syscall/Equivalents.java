package dev.sandboxed.syscall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Translates syscall names between architectures, so that a policy recorded on x86_64 can be carried to aarch64
 * (and back) without silently losing or widening rules. aarch64 lacks the old path-based and fixed-argument calls
 * ({@code open}, {@code stat}, {@code fork}, {@code pipe}, ...): libc uses their {@code *at}, flag-taking or
 * {@code clone}-based successors there, which often can do more. The mappings are authored in
 * {@code equivalents.tsv}; a name present on both architectures is {@link Equivalent.Exactness#IDENTICAL}.
 */
public final class Equivalents {

    private record Row(List<String> names, Equivalent.Exactness exactness, String note) {
        boolean none() {
            return names.isEmpty();
        }
    }

    private static final Map<String, Row> ROWS = load();

    private Equivalents() {
    }

    /**
     * The counterpart of {@code syscall} on {@code to}; empty when {@code to} has nothing that does its job (such
     * as {@code arch_prctl} on aarch64), in which case {@link #absence} says why.
     *
     * @throws IllegalArgumentException if {@code from} has no syscall of that name
     */
    public static Optional<Equivalent> translate(String syscall, Arch from, Arch to) {
        requireKnown(syscall, from, to);
        SyscallTable target = SyscallTable.of(to);
        if (target.contains(syscall)) {
            String note = from == to ? "same architecture" : "the same syscall, number "
                    + SyscallTable.of(from).number(syscall).getAsInt() + " on " + from.id() + " and "
                    + target.number(syscall).getAsInt() + " on " + to.id();
            return Optional.of(new Equivalent(syscall, from, to, List.of(syscall),
                    Equivalent.Exactness.IDENTICAL, note));
        }
        Row row = ROWS.get(key(from, syscall));
        if (row == null || row.none()) {
            return Optional.empty();
        }
        return Optional.of(new Equivalent(syscall, from, to, row.names(), row.exactness(), row.note()));
    }

    /** Why {@code syscall} has no counterpart on {@code to}; empty if it has one. */
    public static Optional<String> absence(String syscall, Arch from, Arch to) {
        requireKnown(syscall, from, to);
        if (SyscallTable.of(to).contains(syscall)) {
            return Optional.empty();
        }
        Row row = ROWS.get(key(from, syscall));
        if (row == null) {
            return Optional.of("no mapping from " + from.id() + " to " + to.id() + " is known for " + syscall);
        }
        return row.none() ? Optional.of(row.note()) : Optional.empty();
    }

    /** Whether {@code equivalents.tsv} has a row for this name, mapped or explicitly without counterpart. */
    static boolean isListed(String syscall, Arch from) {
        return ROWS.containsKey(key(from, syscall));
    }

    /** Every listed name of {@code from} with its replacements (empty for NONE rows), for consistency checks. */
    static Map<String, List<String>> listed(Arch from) {
        Map<String, List<String>> listed = new TreeMap<>();
        ROWS.forEach((key, row) -> {
            if (key.startsWith(from.id() + "/")) {
                listed.put(key.substring(from.id().length() + 1), row.names());
            }
        });
        return listed;
    }

    private static void requireKnown(String syscall, Arch from, Arch to) {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        SyscallTable source = SyscallTable.of(from);
        if (!source.contains(syscall)) {
            List<String> near = source.nearest(syscall, 3);
            throw new IllegalArgumentException("'" + syscall + "' is not a " + from.id() + " syscall"
                    + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?"));
        }
    }

    private static String key(Arch from, String syscall) {
        return from.id() + "/" + syscall;
    }

    private static Map<String, Row> load() {
        String resource = "equivalents.tsv";
        Map<String, Row> rows = new TreeMap<>();
        try (InputStream in = Equivalents.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + Equivalents.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                rows.put(parseKey(line, number), parse(line, number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(rows);
    }

    private static String parseKey(String line, int number) {
        String[] f = line.split("\t");
        Arch from = Arch.fromId(f[0]).orElseThrow(() -> new IllegalStateException(
                "equivalents.tsv:" + number + ": unknown architecture '" + f[0] + "'"));
        return key(from, f[1]);
    }

    private static Row parse(String line, int number) {
        String[] f = line.split("\t");
        if (f.length != 5) {
            throw new IllegalStateException("equivalents.tsv:" + number
                    + ": expected 5 tab-separated fields from, syscall, replacements, exactness, note");
        }
        if (f[3].equals("NONE")) {
            if (!f[2].equals("-")) {
                throw new IllegalStateException("equivalents.tsv:" + number + ": NONE rows name no replacement");
            }
            return new Row(List.of(), null, f[4]);
        }
        Equivalent.Exactness exactness = Equivalent.Exactness.valueOf(f[3]);
        if (exactness == Equivalent.Exactness.IDENTICAL) {
            throw new IllegalStateException("equivalents.tsv:" + number + ": IDENTICAL is implied, not listed");
        }
        return new Row(List.of(f[2].split(",")), exactness, f[4]);
    }
}
