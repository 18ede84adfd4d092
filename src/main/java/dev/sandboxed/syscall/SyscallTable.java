package dev.sandboxed.syscall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The complete name↔number table of one architecture. The data comes from a resource generated from kernel
 * headers (see {@code src/build}), so the numbers are the kernel's own and never typed by hand.
 */
public final class SyscallTable {

    private static final Map<Arch, SyscallTable> TABLES = loadAll();

    private final Arch arch;
    private final Map<String, Integer> numbers;
    private final Map<Integer, String> names;
    private final SortedSet<String> sortedNames;
    private final int maxNumber;

    private SyscallTable(Arch arch, Map<String, Integer> numbers) {
        this.arch = arch;
        this.numbers = Collections.unmodifiableMap(new TreeMap<>(numbers));
        Map<Integer, String> byNumber = new TreeMap<>();
        numbers.forEach((name, nr) -> byNumber.merge(nr, name, (a, b) -> a.compareTo(b) <= 0 ? a : b));
        this.names = Collections.unmodifiableMap(byNumber);
        this.sortedNames = Collections.unmodifiableSortedSet(new TreeSet<>(numbers.keySet()));
        this.maxNumber = numbers.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    public static SyscallTable of(Arch arch) {
        return TABLES.get(Objects.requireNonNull(arch, "arch"));
    }

    public Arch arch() {
        return arch;
    }

    public OptionalInt number(String name) {
        Integer nr = numbers.get(name);
        return nr == null ? OptionalInt.empty() : OptionalInt.of(nr);
    }

    public Optional<String> name(int number) {
        return Optional.ofNullable(names.get(number));
    }

    public boolean contains(String name) {
        return numbers.containsKey(name);
    }

    public SortedSet<String> names() {
        return sortedNames;
    }

    /** The highest number this table knows; anything above it is a syscall newer than the table. */
    public int maxNumber() {
        return maxNumber;
    }

    /** Known names closest to a misspelt one, best first, for error messages. */
    public List<String> nearest(String unknown, int limit) {
        return Spelling.nearest(unknown, sortedNames, limit);
    }

    private static Map<Arch, SyscallTable> loadAll() {
        Map<Arch, SyscallTable> tables = new EnumMap<>(Arch.class);
        for (Arch arch : Arch.values()) {
            tables.put(arch, new SyscallTable(arch, read(arch)));
        }
        return Collections.unmodifiableMap(tables);
    }

    private static Map<String, Integer> read(Arch arch) {
        String resource = "syscalls-" + arch.id() + ".tsv";
        Map<String, Integer> numbers = new TreeMap<>(Comparator.naturalOrder());
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + SyscallTable.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                numbers.put(fields[0], Integer.parseInt(fields[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return numbers;
    }
}
