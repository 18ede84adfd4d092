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
import java.util.Set;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The complete name↔number table of one architecture, with the C type of every argument. The data comes from
 * resources generated from kernel headers by {@code src/build/GenerateSyscallTables.java}, so the numbers and types
 * are the kernel's own and never typed by hand.
 */
public final class SyscallTable {

    private static final String NOT_IMPLEMENTED = "not-implemented";
    private static final Map<Arch, SyscallTable> TABLES = loadAll();

    private final Arch arch;
    private final Map<String, Integer> numbers;
    private final Map<Integer, String> names;
    private final SortedSet<String> sortedNames;
    private final int maxNumber;
    private final Map<String, List<String>> argumentTypes;
    private final Set<String> notImplemented;

    private SyscallTable(Arch arch, Map<String, Integer> numbers, Map<String, List<String>> argumentTypes,
            Set<String> notImplemented) {
        this.arch = arch;
        this.numbers = Collections.unmodifiableMap(new TreeMap<>(numbers));
        Map<Integer, String> byNumber = new TreeMap<>();
        numbers.forEach((name, nr) -> byNumber.merge(nr, name, (a, b) -> a.compareTo(b) <= 0 ? a : b));
        this.names = Collections.unmodifiableMap(byNumber);
        this.sortedNames = Collections.unmodifiableSortedSet(new TreeSet<>(numbers.keySet()));
        this.maxNumber = numbers.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.argumentTypes = Collections.unmodifiableMap(new TreeMap<>(argumentTypes));
        this.notImplemented = Set.copyOf(notImplemented);
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

    /**
     * Whether the kernel declares argument {@code index} of {@code syscall} as a 32-bit (or narrower) integer, so
     * that only the low 32 bits of the register are meaningful: the kernel truncates the rest away, and a filter
     * comparing all 64 bits could be steered by garbage in the upper half. Pointers, {@code long}s, unknown
     * syscalls and out-of-range indexes read as {@code false}, the safe reading, because comparing 64 bits of a
     * value whose upper half matters is never wrong.
     */
    public boolean isIntArgument(String syscall, int index) {
        List<String> types = argumentTypes.get(syscall);
        return types != null && index >= 0 && index < types.size() && ArgumentWidth.isInt(types.get(index));
    }

    /**
     * The C types of the syscall's arguments as the kernel declares them (without parameter names or
     * {@code __user}); empty for a syscall that takes none or that this architecture does not implement.
     */
    public Optional<List<String>> argumentTypes(String syscall) {
        return Optional.ofNullable(argumentTypes.get(syscall));
    }

    /**
     * Whether the kernel has code behind this name; {@code false} for names it does not know and for numbers it
     * keeps reserved but answers with {@code ENOSYS} (such as {@code tuxcall} on x86_64).
     */
    public boolean isImplemented(String syscall) {
        return contains(syscall) && !notImplemented.contains(syscall);
    }

    private static Map<Arch, SyscallTable> loadAll() {
        Map<Arch, SyscallTable> tables = new EnumMap<>(Arch.class);
        for (Arch arch : Arch.values()) {
            Map<String, Integer> numbers = new TreeMap<>(Comparator.naturalOrder());
            read("syscalls-" + arch.id() + ".tsv", fields -> numbers.put(fields[0], Integer.parseInt(fields[1])));
            Map<String, List<String>> types = new TreeMap<>();
            Set<String> notImplemented = new TreeSet<>();
            read("syscall-arguments-" + arch.id() + ".tsv", fields -> {
                if (fields.length == 2 && fields[1].equals(NOT_IMPLEMENTED)) {
                    notImplemented.add(fields[0]);
                    types.put(fields[0], List.of());
                } else {
                    types.put(fields[0], List.of(fields).subList(1, fields.length));
                }
            });
            tables.put(arch, new SyscallTable(arch, numbers, types, notImplemented));
        }
        return Collections.unmodifiableMap(tables);
    }

    private static void read(String resource, Consumer<String[]> row) {
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + SyscallTable.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                row.accept(line.split("\t"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
