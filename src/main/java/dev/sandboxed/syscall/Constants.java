package dev.sandboxed.syscall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The symbolic constants a policy may write instead of numbers ({@code AF_INET}, {@code CLONE_NEWUSER},
 * {@code TIOCSTI}, {@code EPERM}, ...) with their values on one architecture, and the reverse: naming a recorded
 * argument value in reports. Values differ between architectures ({@code O_DIRECTORY}, {@code PROT_BTI}), which is
 * why there is one instance per {@link Arch}. The data is generated from kernel and libc headers by
 * {@code src/build/GenerateConstants.java}; how each syscall argument is named is authored in
 * {@code argument-meanings.tsv}.
 */
public final class Constants {

    private static final Map<Arch, Constants> ALL = loadAll();
    private static final Pattern NUMBER = Pattern.compile("-?(0[xX][0-9a-fA-F]+|[0-9]+)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Masks and field selectors are not flags: they must never appear in a decomposition. */
    private static final Pattern NOT_A_FLAG = Pattern.compile(".*(_MASK|ACCMODE)$");

    private record Symbol(String name, long value, String group, boolean alias) {
    }

    private enum Style { VALUE, FLAGS, OPEN, CLONE, SOCKET_TYPE, PERSONALITY }

    private record Meaning(Style style, List<String> groups, Pattern names) {
    }

    private final Arch arch;
    private final Map<String, Symbol> symbols;
    private final Map<String, List<Symbol>> byGroup;
    private final Map<String, Meaning> meanings;
    private final SortedSet<String> names;

    private Constants(Arch arch, Map<String, Symbol> symbols, Map<String, Meaning> meanings) {
        this.arch = arch;
        this.symbols = Collections.unmodifiableMap(new TreeMap<>(symbols));
        Map<String, List<Symbol>> groups = new TreeMap<>();
        this.symbols.values().forEach(s -> groups.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s));
        this.byGroup = groups;
        this.meanings = meanings;
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(symbols.keySet()));
    }

    public static Constants of(Arch arch) {
        return ALL.get(Objects.requireNonNull(arch, "arch"));
    }

    public Arch arch() {
        return arch;
    }

    /** Every constant name this architecture knows. */
    public SortedSet<String> symbols() {
        return names;
    }

    public OptionalLong value(String symbol) {
        Symbol s = symbols.get(Objects.requireNonNull(symbol, "symbol"));
        return s == null ? OptionalLong.empty() : OptionalLong.of(s.value());
    }

    /** The family a constant belongs to, such as {@code AF}, {@code CLONE}, {@code errno} or {@code ioctl}. */
    public Optional<String> group(String symbol) {
        Symbol s = symbols.get(Objects.requireNonNull(symbol, "symbol"));
        return s == null ? Optional.empty() : Optional.of(s.group());
    }

    /**
     * The value of a policy expression: a constant name, a decimal number (optionally negative), a {@code 0x} hex
     * number, an octal number with a leading {@code 0} as in C (so {@code 0644} means what a C programmer means),
     * or several of these joined by {@code |}.
     *
     * @throws UnknownConstantException if a name is not known on this architecture
     * @throws IllegalArgumentException if a term is neither a number nor a name
     */
    public long evaluate(String expression) {
        Objects.requireNonNull(expression, "expression");
        long result = 0;
        for (String raw : expression.split("\\|", -1)) {
            String term = raw.strip();
            if (term.isEmpty()) {
                throw new IllegalArgumentException("empty term in constant expression '" + expression
                        + "'; write terms joined by |, e.g. CLONE_NEWNS|CLONE_NEWPID");
            }
            result |= term(term, expression);
        }
        return result;
    }

    private long term(String term, String expression) {
        if (NUMBER.matcher(term).matches()) {
            return number(term, expression);
        }
        if (!NAME.matcher(term).matches()) {
            throw new IllegalArgumentException("'" + term + "' in '" + expression
                    + "' is neither a number nor a constant name");
        }
        Symbol symbol = symbols.get(term);
        if (symbol == null) {
            List<Arch> knownOn = new ArrayList<>();
            for (Arch other : Arch.values()) {
                if (other != arch && of(other).symbols.containsKey(term)) {
                    knownOn.add(other);
                }
            }
            throw new UnknownConstantException(term, arch, nearest(term, 3), knownOn);
        }
        return symbol.value();
    }

    private static long number(String term, String expression) {
        boolean negative = term.startsWith("-");
        String digits = negative ? term.substring(1) : term;
        try {
            long magnitude;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                magnitude = Long.parseUnsignedLong(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                magnitude = Long.parseUnsignedLong(digits.substring(1), 8);
            } else {
                magnitude = Long.parseLong(digits);
            }
            return negative ? -magnitude : magnitude;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + term + "' in '" + expression + "' is not a valid number"
                    + (digits.startsWith("0") && !digits.startsWith("0x") ? " (a leading 0 means octal)" : "")
                    + " or does not fit in 64 bits", e);
        }
    }

    /** Known names closest to a misspelt one, best first, for error messages. */
    public List<String> nearest(String unknown, int limit) {
        return Spelling.nearest(Objects.requireNonNull(unknown, "unknown").toUpperCase(Locale.ROOT), names, limit);
    }

    /**
     * A readable name for a recorded argument value, for reports: {@code socket} argument 0 value 2 is
     * {@code AF_INET}, {@code clone} flags become {@code CLONE_VM|CLONE_FS|...|SIGCHLD}, {@code ioctl} request
     * 0x5401 is {@code TCGETS}. Bits no name covers stay as hex. Empty when the argument has no symbolic meaning
     * or nothing matches. For arguments the kernel reads as {@code int}, only the low 32 bits are compared.
     */
    public Optional<String> describe(String syscall, int argIndex, long value) {
        Meaning meaning = meanings.get(Objects.requireNonNull(syscall, "syscall") + "/" + argIndex);
        if (meaning == null) {
            return Optional.empty();
        }
        boolean narrow = SyscallTable.of(arch).isIntArgument(syscall, argIndex);
        List<Symbol> candidates = candidates(meaning, narrow);
        long v = narrow ? value & 0xffffffffL : value;
        return switch (meaning.style()) {
            case VALUE -> exact(candidates, v);
            case FLAGS -> flags(candidates, v);
            case OPEN -> combined(exact(filter(candidates, s -> s.value() <= 3), v & 3),
                    flags(filter(candidates, s -> (s.value() & 3) == 0), v & ~3L), (v & 3) == v);
            case SOCKET_TYPE -> combined(exact(filter(candidates, s -> s.value() <= 0xf), v & 0xf),
                    flags(filter(candidates, s -> (s.value() & 0xf) == 0), v & ~0xfL), (v & 0xf) == v);
            case PERSONALITY -> combined(
                    exact(filter(candidates, s -> s.name().startsWith("PER_") && s.value() <= 0xff), v & 0xff),
                    flags(filter(candidates, s -> !s.name().startsWith("PER_")), v & ~0xffL), (v & 0xff) == v);
            case CLONE -> clone(candidates, v);
        };
    }

    private List<Symbol> candidates(Meaning meaning, boolean narrow) {
        List<Symbol> result = new ArrayList<>();
        for (String group : meaning.groups()) {
            for (Symbol s : byGroup.getOrDefault(group, List.of())) {
                if (meaning.names() == null || meaning.names().matcher(s.name()).matches()) {
                    result.add(narrow ? new Symbol(s.name(), s.value() & 0xffffffffL, s.group(), s.alias()) : s);
                }
            }
        }
        return result;
    }

    private static List<Symbol> filter(List<Symbol> symbols, Predicate<Symbol> keep) {
        return symbols.stream().filter(keep).toList();
    }

    /** The first group with a match wins; within it a primary name beats an alias, then the alphabet decides. */
    private static Optional<String> exact(List<Symbol> candidates, long value) {
        List<Symbol> matches = candidates.stream()
                .filter(s -> s.value() == value && !NOT_A_FLAG.matcher(s.name()).matches())
                .toList();
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        String firstGroup = matches.get(0).group();
        return matches.stream().filter(s -> s.group().equals(firstGroup))
                .min(Comparator.comparing(Symbol::alias).thenComparing(Symbol::name))
                .map(Symbol::name);
    }

    /** Greedy cover of the set bits, widest names first so composite flags such as {@code O_SYNC} win. */
    private static Optional<String> flags(List<Symbol> candidates, long value) {
        if (value == 0) {
            return exact(candidates, 0);
        }
        List<Symbol> usable = candidates.stream()
                .filter(s -> s.value() != 0 && !s.alias() && !NOT_A_FLAG.matcher(s.name()).matches())
                .sorted(Comparator.comparingInt((Symbol s) -> -Long.bitCount(s.value()))
                        .thenComparing(Symbol::value, Long::compareUnsigned)
                        .thenComparing(Symbol::name))
                .toList();
        long remaining = value;
        List<Symbol> chosen = new ArrayList<>();
        for (Symbol s : usable) {
            if ((remaining & s.value()) == s.value()) {
                chosen.add(s);
                remaining &= ~s.value();
            }
        }
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        chosen.sort(Comparator.comparing(Symbol::value, Long::compareUnsigned));
        StringBuilder text = new StringBuilder();
        chosen.forEach(s -> text.append(text.length() == 0 ? "" : "|").append(s.name()));
        if (remaining != 0) {
            text.append("|0x").append(Long.toHexString(remaining));
        }
        return Optional.of(text.toString());
    }

    private static Optional<String> combined(Optional<String> field, Optional<String> flags, boolean onlyField) {
        if (field.isEmpty()) {
            return Optional.empty();
        }
        if (onlyField) {
            return field;
        }
        return flags.map(f -> field.get() + "|" + f);
    }

    /** {@code clone} packs the child's exit signal into the low byte of its flags. */
    private Optional<String> clone(List<Symbol> candidates, long value) {
        long signal = value & 0xff;
        long flagBits = value & ~0xffL;
        Optional<String> flags = flagBits == 0 ? Optional.empty()
                : flags(filter(candidates, s -> (s.value() & 0xff) == 0), flagBits);
        Optional<String> signalName = signal == 0 ? Optional.empty()
                : exact(byGroup.getOrDefault("signal", List.of()), signal);
        if (signal != 0 && signalName.isEmpty()) {
            signalName = Optional.of("0x" + Long.toHexString(signal));
        }
        if (flags.isEmpty() && signalName.isEmpty()) {
            return value == 0 ? Optional.of("0") : Optional.empty();
        }
        if (flags.isEmpty()) {
            return flagBits == 0 ? signalName : Optional.empty();
        }
        return Optional.of(flags.get() + signalName.map(s -> "|" + s).orElse(""));
    }

    private static Map<Arch, Constants> loadAll() {
        Map<String, Meaning> meanings = new LinkedHashMap<>();
        read("argument-meanings.tsv", (line, fields) -> {
            if (fields.length < 4 || fields.length > 5) {
                throw new IllegalStateException("argument-meanings.tsv:" + line + ": expected 4 or 5 fields");
            }
            Style style = Style.valueOf(fields[2].toUpperCase(Locale.ROOT).replace('-', '_'));
            Pattern names = fields.length == 5 ? Pattern.compile(fields[4]) : null;
            meanings.put(fields[0] + "/" + fields[1], new Meaning(style, List.of(fields[3].split(",")), names));
        });
        Map<Arch, Constants> all = new EnumMap<>(Arch.class);
        for (Arch arch : Arch.values()) {
            Map<String, Symbol> symbols = new TreeMap<>();
            read("constants-" + arch.id() + ".tsv", (line, f) -> symbols.put(f[0],
                    new Symbol(f[0], Long.parseLong(f[1]), f[2], f.length > 3 && f[3].equals("alias"))));
            all.put(arch, new Constants(arch, symbols, Collections.unmodifiableMap(meanings)));
        }
        return Collections.unmodifiableMap(all);
    }

    private interface Row {
        void accept(int line, String[] fields);
    }

    private static void read(String resource, Row row) {
        try (InputStream in = Constants.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + Constants.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (!line.isBlank() && !line.startsWith("#")) {
                    row.accept(number, line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
