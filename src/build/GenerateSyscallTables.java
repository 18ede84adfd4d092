import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the syscall name/number tables and argument-type tables of every supported architecture from kernel
 * headers, so that no number or type in {@code dev.sandboxed.syscall} is ever typed by hand.
 *
 * <p>Run from the repository root (Java 17, no build needed):
 * <pre>
 * apt-get install linux-libc-dev linux-headers-6.1.0-50-common
 * java src/build/GenerateSyscallTables.java \
 *     [--include /usr/include] \
 *     [--kernel-headers /usr/src/linux-headers-6.1.0-50-common] \
 *     [--out src/main/resources/dev/sandboxed/syscall]
 * </pre>
 *
 * <p>Inputs and why each is needed:
 * <ul>
 *   <li>{@code asm/unistd_64.h} (x86_64) and {@code asm-generic/unistd.h} (aarch64, which has no table of its own
 *       but selects entries of the generic one through {@code __ARCH_WANT_*} switches). The generic header is full of
 *       conditionals and of {@code __NR3264_*} indirections, so it is read through a small C preprocessor below
 *       rather than with regular expressions.</li>
 *   <li>{@code include/linux/syscalls.h} of a kernel build tree: the only installable place that states the C type of
 *       every syscall argument, which the 32-bit comparison mode needs.</li>
 *   <li>{@code src/build/syscalls-supplement.tsv} and {@code src/build/syscall-signatures-supplement.tsv}: facts we
 *       author for syscalls newer than the installed headers and for arch-specific entry points the generic header
 *       does not declare. A supplement entry that contradicts a header is an error, so the files can only add.</li>
 * </ul>
 *
 * <p>Output is sorted and carries no timestamp, so running the generator twice gives identical files.
 */
public final class GenerateSyscallTables {

    /** What aarch64's {@code asm/unistd.h} switches on before including the generic table. */
    private static final Map<String, String> AARCH64_DEFINES = Map.of(
            "__BITS_PER_LONG", "64",
            "__ARCH_WANT_RENAMEAT", "",
            "__ARCH_WANT_NEW_STAT", "",
            "__ARCH_WANT_SET_GET_RLIMIT", "",
            "__ARCH_WANT_SYS_CLONE3", "",
            "__ARCH_WANT_MEMFD_SECRET", "");

    /** {@code syscalls.h} declares prototypes only for configurations without syscall wrappers; we want them all. */
    private static final Map<String, String> SYSCALLS_H_DEFINES = Map.of(
            "BITS_PER_LONG", "64",
            "__ARCH_WANT_SYS_UTIME", "",
            "CONFIG_ADVISE_SYSCALLS", "");

    private static final Pattern INVOCATION = Pattern.compile(
            "^\\s*(__SYSCALL|__SC_COMP|__SC_3264|__SC_COMP_3264)\\s*\\((.*)\\)\\s*;?\\s*$");
    private static final Pattern PROTOTYPE = Pattern.compile(
            "asmlinkage\\s+long\\s+(sys_\\w+)\\s*\\(([^;]*?)\\)\\s*;", Pattern.DOTALL);

    public static void main(String[] args) throws IOException {
        Path include = Path.of("/usr/include");
        Path kernelHeaders = null;
        Path out = Path.of("src/main/resources/dev/sandboxed/syscall");
        Path build = Path.of("src/build");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--include" -> include = Path.of(args[++i]);
                case "--kernel-headers" -> kernelHeaders = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: [--include DIR] [--kernel-headers DIR] [--out DIR]");
            }
        }
        if (kernelHeaders == null) {
            kernelHeaders = findKernelHeaders();
        }

        Path x86Header = include.resolve("x86_64-linux-gnu/asm/unistd_64.h");
        Path genericHeader = include.resolve("asm-generic/unistd.h");
        Preprocessor x86 = new Preprocessor(Map.of());
        x86.process(x86Header);
        Preprocessor generic = new Preprocessor(AARCH64_DEFINES);
        generic.process(genericHeader);

        Map<String, Entry> x86Entries = x86Entries(x86);
        Map<String, Entry> armEntries = genericEntries(generic);

        Supplement supplement = Supplement.read(build.resolve("syscalls-supplement.tsv"));
        supplement.mergeInto("x86_64", x86Entries);
        supplement.mergeInto("aarch64", armEntries);

        Map<String, List<String>> prototypes = prototypes(kernelHeaders.resolve("include/linux/syscalls.h"));
        Signatures signatures = Signatures.read(build.resolve("syscall-signatures-supplement.tsv"));

        String versionNote = "headers under " + include + " (linux-libc-dev " + kernelVersion(genericHeader)
                + "); argument types from include/linux/syscalls.h";
        writeTable(out.resolve("syscalls-x86_64.tsv"), x86Entries,
                "x86_64: " + x86Header + " + src/build/syscalls-supplement.tsv", versionNote);
        writeTable(out.resolve("syscalls-aarch64.tsv"), armEntries,
                "aarch64: " + genericHeader + " with " + new TreeMap<>(AARCH64_DEFINES).keySet()
                        + " + src/build/syscalls-supplement.tsv", versionNote);
        writeArguments(out.resolve("syscall-arguments-x86_64.tsv"), "x86_64", x86Entries, prototypes, signatures);
        writeArguments(out.resolve("syscall-arguments-aarch64.tsv"), "aarch64", armEntries, prototypes, signatures);
    }

    /** The kernel series the installed UAPI headers come from, read from {@code linux/version.h}. */
    private static String kernelVersion(Path genericHeader) throws IOException {
        Path versionH = genericHeader.getParent().getParent().resolve("linux/version.h");
        Preprocessor pp = new Preprocessor(Map.of());
        pp.process(versionH);
        long code = pp.valueOf("LINUX_VERSION_CODE");
        return (code >> 16) + "." + ((code >> 8) & 0xff);
    }

    private static Path findKernelHeaders() throws IOException {
        try (var dirs = Files.list(Path.of("/usr/src"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("include/linux/syscalls.h")))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no kernel header tree with include/linux/syscalls.h"
                            + " under /usr/src; install linux-headers-<version>-common or pass --kernel-headers DIR"));
        }
    }

    /** One syscall of one architecture: its number and the kernel function that implements it, if known. */
    record Entry(String name, int number, String function) {
    }

    private static Map<String, Entry> x86Entries(Preprocessor pp) {
        Map<String, Entry> entries = new TreeMap<>();
        for (String macro : pp.macroNames()) {
            if (macro.startsWith("__NR_")) {
                String name = macro.substring("__NR_".length());
                entries.put(name, new Entry(name, (int) pp.valueOf(macro), null));
            }
        }
        return entries;
    }

    /**
     * In the generic table a number is a syscall only if some {@code __SYSCALL}-style line wires it to a function;
     * that excludes bookkeeping macros such as {@code __NR_syscalls} and {@code __NR_arch_specific_syscall}.
     */
    private static Map<String, Entry> genericEntries(Preprocessor pp) {
        Map<String, String> functionByMacro = new LinkedHashMap<>();
        for (Preprocessor.Line line : pp.activeLines()) {
            Matcher m = INVOCATION.matcher(line.text());
            if (!m.matches()) {
                continue;
            }
            String[] parts = m.group(2).split(",");
            String macro = parts[0].trim();
            String function = switch (m.group(1)) {
                case "__SYSCALL", "__SC_COMP" -> parts[1].trim();
                case "__SC_3264", "__SC_COMP_3264" -> parts[2].trim(); // the 64-bit variant
                default -> throw new IllegalStateException(m.group(1));
            };
            functionByMacro.put(macro, function);
        }
        Map<String, Entry> entries = new TreeMap<>();
        for (String macro : pp.macroNames()) {
            if (!macro.startsWith("__NR_")) {
                continue;
            }
            String target = pp.resolveAlias(macro);
            String function = functionByMacro.get(target);
            if (function == null) {
                continue;
            }
            String name = macro.substring("__NR_".length());
            entries.put(name, new Entry(name, (int) pp.valueOf(macro), function));
        }
        return entries;
    }

    /** Facts we author about syscalls newer than the installed headers. */
    record Supplement(Path file, List<Row> rows) {
        record Row(int line, String name, int number, Set<String> arches, String since) {
        }

        static Supplement read(Path file) throws IOException {
            List<Row> rows = new ArrayList<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t+");
                if (f.length != 4) {
                    throw new IllegalArgumentException(file + ":" + (i + 1)
                            + ": expected 4 tab-separated fields name, number, arches, since; got: " + line);
                }
                rows.add(new Row(i + 1, f[0], Integer.parseInt(f[1]), Set.of(f[2].split(",")), f[3]));
            }
            return new Supplement(file, rows);
        }

        void mergeInto(String arch, Map<String, Entry> entries) {
            Map<Integer, String> byNumber = new TreeMap<>();
            entries.values().forEach(e -> byNumber.put(e.number(), e.name()));
            for (Row row : rows) {
                if (!row.arches().contains(arch)) {
                    continue;
                }
                Entry existing = entries.get(row.name());
                if (existing != null && existing.number() != row.number()) {
                    throw new IllegalArgumentException(file + ":" + row.line() + ": " + row.name() + " is "
                            + row.number() + " here but " + existing.number() + " in the " + arch + " header");
                }
                String holder = byNumber.get(row.number());
                if (holder != null && !holder.equals(row.name())) {
                    throw new IllegalArgumentException(file + ":" + row.line() + ": number " + row.number()
                            + " of " + row.name() + " is already " + holder + " on " + arch);
                }
                if (existing == null) {
                    entries.put(row.name(), new Entry(row.name(), row.number(), "sys_" + row.name()));
                    byNumber.put(row.number(), row.name());
                }
            }
        }
    }

    /**
     * Authored argument types: arch-specific entry points absent from {@code syscalls.h}, x86_64 entry points whose
     * function is not {@code sys_<name>}, unimplemented slots, and syscalls newer than the header tree.
     */
    record Signatures(Path file, Map<String, Row> rows) {
        static final String VOID = "void";
        static final String NOT_IMPLEMENTED = "not-implemented";

        record Row(int line, String arch, String name, String value) {
        }

        static Signatures read(Path file) throws IOException {
            Map<String, Row> rows = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t+");
                if (f.length != 3) {
                    throw new IllegalArgumentException(file + ":" + (i + 1)
                            + ": expected 3 tab-separated fields arch|*, name, signature; got: " + line);
                }
                Row row = new Row(i + 1, f[0], f[1], f[2]);
                if (rows.put(row.arch() + "/" + row.name(), row) != null) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": duplicate entry for " + f[1]);
                }
            }
            return new Signatures(file, rows);
        }

        Row find(String arch, String name) {
            Row row = rows.get(arch + "/" + name);
            return row != null ? row : rows.get("*/" + name);
        }
    }

    private static Map<String, List<String>> prototypes(Path syscallsH) throws IOException {
        Preprocessor pp = new Preprocessor(SYSCALLS_H_DEFINES);
        pp.process(syscallsH);
        StringBuilder text = new StringBuilder();
        pp.activeLines().forEach(l -> text.append(l.text()).append('\n'));
        Map<String, List<String>> prototypes = new TreeMap<>();
        Matcher m = PROTOTYPE.matcher(text);
        while (m.find()) {
            prototypes.put(m.group(1), parseParameters(m.group(2)));
        }
        return prototypes;
    }

    /** Splits a C parameter list into normalised types: no {@code __user}, no parameter names. */
    static List<String> parseParameters(String list) {
        String flat = list.replaceAll("\\s+", " ").strip();
        if (flat.equals("void") || flat.isEmpty()) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        for (String parameter : flat.split(",")) {
            types.add(normaliseType(parameter));
        }
        return types;
    }

    private static final Set<String> TYPE_WORDS = Set.of(
            "int", "long", "short", "char", "unsigned", "signed", "void", "const", "volatile", "struct", "union",
            "enum");

    static String normaliseType(String parameter) {
        String spaced = parameter.replace("__user", " ").replace("*", " * ").replaceAll("\\s+", " ").strip();
        List<String> tokens = new ArrayList<>(List.of(spaced.split(" ")));
        String last = tokens.get(tokens.size() - 1);
        boolean lastIsName = tokens.size() > 1
                && last.matches("[A-Za-z_]\\w*")
                && !TYPE_WORDS.contains(last)
                && !Set.of("struct", "union", "enum").contains(tokens.get(tokens.size() - 2));
        if (lastIsName) {
            tokens.remove(tokens.size() - 1);
        }
        return String.join(" ", tokens).replace(" *", "*").replace("*", " *").replace("* *", "**")
                .replaceAll("\\s+", " ").strip();
    }

    private static void writeTable(Path file, Map<String, Entry> entries, String source, String versionNote)
            throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# GENERATED by src/build/GenerateSyscallTables.java - do not edit.\n");
        text.append("# Source: ").append(source).append('\n');
        text.append("# ").append(versionNote).append('\n');
        text.append("# name<TAB>number, sorted by number\n");
        entries.values().stream()
                .sorted(Comparator.comparingInt(Entry::number).thenComparing(Entry::name))
                .forEach(e -> text.append(e.name()).append('\t').append(e.number()).append('\n'));
        writeAtomically(file, text.toString());
    }

    private static void writeArguments(Path file, String arch, Map<String, Entry> entries,
            Map<String, List<String>> prototypes, Signatures signatures) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# GENERATED by src/build/GenerateSyscallTables.java - do not edit.\n");
        text.append("# Argument C types of every ").append(arch)
                .append(" syscall, from include/linux/syscalls.h + src/build/syscall-signatures-supplement.tsv.\n");
        text.append("# name<TAB>type of arg0<TAB>type of arg1 ...; a name alone takes no arguments;\n");
        text.append("# \"").append(Signatures.NOT_IMPLEMENTED).append("\" marks numbers the kernel answers with ENOSYS.\n");
        List<String> missing = new ArrayList<>();
        for (Entry entry : entries.values().stream().sorted(Comparator.comparingInt(Entry::number)).toList()) {
            List<String> types = argumentTypes(arch, entry, prototypes, signatures, missing);
            if (types == null) {
                continue;
            }
            text.append(entry.name());
            types.forEach(t -> text.append('\t').append(t));
            text.append('\n');
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no argument types for " + arch + " syscalls " + missing
                    + "; add them to " + signatures.file());
        }
        writeAtomically(file, text.toString());
    }

    private static List<String> argumentTypes(String arch, Entry entry, Map<String, List<String>> prototypes,
            Signatures signatures, List<String> missing) {
        Signatures.Row authored = signatures.find(arch, entry.name());
        String function = entry.function() != null ? entry.function() : "sys_" + entry.name();
        if (authored != null && authored.value().startsWith("=")) {
            function = authored.value().substring(1);
            authored = null;
        }
        if ("sys_ni_syscall".equals(function)) {
            return List.of(Signatures.NOT_IMPLEMENTED);
        }
        List<String> declared = prototypes.get(function);
        if (authored != null) {
            if (declared != null) {
                throw new IllegalStateException(signatures.file() + ":" + authored.line() + ": " + entry.name()
                        + " is declared in syscalls.h as " + function + declared + "; remove the supplement entry");
            }
            return switch (authored.value()) {
                case Signatures.VOID -> List.of();
                case Signatures.NOT_IMPLEMENTED -> List.of(Signatures.NOT_IMPLEMENTED);
                default -> parseParameters(authored.value().replace(';', ','));
            };
        }
        if (declared == null) {
            missing.add(entry.name() + " (" + function + ")");
            return null;
        }
        return declared;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        System.out.println("wrote " + file);
    }

    /**
     * Just enough of a C preprocessor for kernel UAPI headers: conditionals with full integer expressions,
     * object-like macros, and the active text. {@code #include} is not followed: callers predefine what the
     * included files would have contributed, which keeps the result independent of the host's own headers.
     */
    static final class Preprocessor {
        record Line(Path file, int number, String text) {
        }

        private record Frame(boolean parentActive, boolean active, boolean taken) {
        }

        private final Map<String, String> objectMacros = new LinkedHashMap<>();
        private final Set<String> functionMacros = new HashSet<>();
        private final List<Line> active = new ArrayList<>();

        Preprocessor(Map<String, String> predefined) {
            objectMacros.putAll(new TreeMap<>(predefined));
        }

        List<Line> activeLines() {
            return active;
        }

        Set<String> macroNames() {
            return objectMacros.keySet();
        }

        /** Follows {@code #define A B} chains to the last macro name. */
        String resolveAlias(String macro) {
            String current = macro;
            for (int guard = 0; guard < 16; guard++) {
                String body = objectMacros.get(current);
                if (body == null || !body.matches("[A-Za-z_]\\w*") || !objectMacros.containsKey(body)) {
                    return current;
                }
                current = body;
            }
            throw new IllegalStateException("macro alias loop at " + macro);
        }

        long valueOf(String macro) {
            return new Expression(objectMacros.get(macro), this, macro).evaluate();
        }

        void process(Path file) throws IOException {
            List<String> physical = Files.readAllLines(file, StandardCharsets.UTF_8);
            Deque<Frame> stack = new ArrayDeque<>();
            boolean inComment = false;
            for (int i = 0; i < physical.size(); i++) {
                int lineNumber = i + 1;
                StringBuilder logical = new StringBuilder(physical.get(i));
                while (logical.length() > 0 && logical.charAt(logical.length() - 1) == '\\' && i + 1 < physical.size()) {
                    logical.setLength(logical.length() - 1);
                    logical.append(' ').append(physical.get(++i));
                }
                StringBuilder code = new StringBuilder();
                inComment = stripComments(logical.toString(), inComment, code);
                String text = code.toString().strip();
                boolean activeNow = stack.isEmpty() || stack.peek().active();
                if (!text.startsWith("#")) {
                    if (activeNow && !text.isEmpty()) {
                        active.add(new Line(file, lineNumber, text));
                    }
                    continue;
                }
                String directive = text.substring(1).strip();
                String keyword = directive.split("[\\s(]", 2)[0];
                String rest = directive.substring(keyword.length()).strip();
                String where = file + ":" + lineNumber;
                switch (keyword) {
                    case "ifdef", "ifndef" -> {
                        boolean defined = isDefined(rest.split("\\s+")[0]);
                        boolean condition = keyword.equals("ifdef") == defined;
                        stack.push(new Frame(activeNow, activeNow && condition, condition));
                    }
                    case "if" -> {
                        boolean condition = activeNow && new Expression(rest, this, where).evaluate() != 0;
                        stack.push(new Frame(activeNow, condition, condition));
                    }
                    case "elif" -> {
                        Frame frame = pop(stack, where);
                        boolean condition = !frame.taken() && frame.parentActive()
                                && new Expression(rest, this, where).evaluate() != 0;
                        stack.push(new Frame(frame.parentActive(), condition, frame.taken() || condition));
                    }
                    case "else" -> {
                        Frame frame = pop(stack, where);
                        boolean condition = !frame.taken() && frame.parentActive();
                        stack.push(new Frame(frame.parentActive(), condition, true));
                    }
                    case "endif" -> pop(stack, where);
                    case "define" -> {
                        if (activeNow) {
                            define(rest);
                        }
                    }
                    case "undef" -> {
                        if (activeNow) {
                            objectMacros.remove(rest);
                            functionMacros.remove(rest);
                        }
                    }
                    case "error" -> {
                        if (activeNow) {
                            throw new IllegalStateException(where + ": #error " + rest);
                        }
                    }
                    case "include", "pragma", "warning", "" -> {
                    }
                    default -> throw new IllegalStateException(where + ": unsupported directive #" + keyword);
                }
            }
            if (!stack.isEmpty()) {
                throw new IllegalStateException(file + ": unterminated #if");
            }
        }

        private static Frame pop(Deque<Frame> stack, String where) {
            if (stack.isEmpty()) {
                throw new IllegalStateException(where + ": #else/#elif/#endif without #if");
            }
            return stack.pop();
        }

        private void define(String rest) {
            Matcher m = Pattern.compile("([A-Za-z_]\\w*)(\\()?(.*)").matcher(rest);
            if (!m.matches()) {
                throw new IllegalStateException("bad #define " + rest);
            }
            if (m.group(2) != null) {
                functionMacros.add(m.group(1));
                objectMacros.remove(m.group(1));
            } else {
                objectMacros.put(m.group(1), m.group(3).strip());
                functionMacros.remove(m.group(1));
            }
        }

        boolean isDefined(String name) {
            return objectMacros.containsKey(name) || functionMacros.contains(name);
        }

        String body(String name) {
            if (functionMacros.contains(name)) {
                throw new IllegalStateException("function-like macro " + name + " in a #if expression");
            }
            return objectMacros.get(name);
        }

        /** Removes comments, honouring string and character literals; returns whether a block comment is still open. */
        private static boolean stripComments(String line, boolean inComment, StringBuilder out) {
            int i = 0;
            while (i < line.length()) {
                if (inComment) {
                    int end = line.indexOf("*/", i);
                    if (end < 0) {
                        return true;
                    }
                    i = end + 2;
                    inComment = false;
                    out.append(' ');
                    continue;
                }
                char c = line.charAt(i);
                if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '*') {
                    inComment = true;
                    i += 2;
                } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                    return false;
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < line.length() && line.charAt(j) != c) {
                        j += line.charAt(j) == '\\' ? 2 : 1;
                    }
                    out.append(line, i, Math.min(j + 1, line.length()));
                    i = j + 1;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return inComment;
        }
    }

    /** Integer expressions of {@code #if} lines and macro bodies, with C precedence. */
    static final class Expression {
        private static final Pattern TOKEN = Pattern.compile(
                "\\s*(0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*|[A-Za-z_]\\w*|<<|>>|<=|>=|==|!=|&&|\\|\\||[-+*/%()<>!~&|^?:,])");

        private final List<String> tokens = new ArrayList<>();
        private final Preprocessor pp;
        private final String where;
        private final Set<String> expanding;
        private int position;

        Expression(String text, Preprocessor pp, String where) {
            this(text, pp, where, new HashSet<>());
        }

        private Expression(String text, Preprocessor pp, String where, Set<String> expanding) {
            this.pp = pp;
            this.where = where;
            this.expanding = expanding;
            Matcher m = TOKEN.matcher(Objects.requireNonNull(text, () -> where + ": no value"));
            int end = 0;
            while (m.lookingAt()) {
                tokens.add(m.group(1));
                end = m.end();
                m.region(end, text.length());
            }
            if (!text.substring(end).isBlank()) {
                throw new IllegalStateException(where + ": cannot parse '" + text.substring(end) + "' in: " + text);
            }
        }

        long evaluate() {
            long value = conditional();
            if (position != tokens.size()) {
                throw new IllegalStateException(where + ": unexpected '" + tokens.get(position) + "' in " + tokens);
            }
            return value;
        }

        private long conditional() {
            long condition = binary(0);
            if (accept("?")) {
                long yes = conditional();
                expect(":");
                long no = conditional();
                return condition != 0 ? yes : no;
            }
            return condition;
        }

        private static final List<Set<String>> LEVELS = List.of(
                Set.of("||"), Set.of("&&"), Set.of("|"), Set.of("^"), Set.of("&"), Set.of("==", "!="),
                Set.of("<", ">", "<=", ">="), Set.of("<<", ">>"), Set.of("+", "-"), Set.of("*", "/", "%"));

        private long binary(int level) {
            if (level == LEVELS.size()) {
                return unary();
            }
            long left = binary(level + 1);
            while (position < tokens.size() && LEVELS.get(level).contains(tokens.get(position))) {
                String op = tokens.get(position++);
                long right = binary(level + 1);
                left = switch (op) {
                    case "||" -> (left != 0 || right != 0) ? 1 : 0;
                    case "&&" -> (left != 0 && right != 0) ? 1 : 0;
                    case "|" -> left | right;
                    case "^" -> left ^ right;
                    case "&" -> left & right;
                    case "==" -> left == right ? 1 : 0;
                    case "!=" -> left != right ? 1 : 0;
                    case "<" -> left < right ? 1 : 0;
                    case ">" -> left > right ? 1 : 0;
                    case "<=" -> left <= right ? 1 : 0;
                    case ">=" -> left >= right ? 1 : 0;
                    case "<<" -> left << right;
                    case ">>" -> left >> right;
                    case "+" -> left + right;
                    case "-" -> left - right;
                    case "*" -> left * right;
                    case "/" -> left / right;
                    case "%" -> left % right;
                    default -> throw new IllegalStateException(op);
                };
            }
            return left;
        }

        private long unary() {
            String token = next();
            switch (token) {
                case "!":
                    return unary() == 0 ? 1 : 0;
                case "~":
                    return ~unary();
                case "-":
                    return -unary();
                case "+":
                    return unary();
                case "(": {
                    long value = conditional();
                    expect(")");
                    return value;
                }
                case "defined": {
                    boolean parenthesised = accept("(");
                    String name = next();
                    if (parenthesised) {
                        expect(")");
                    }
                    return pp.isDefined(name) ? 1 : 0;
                }
                default:
                    break;
            }
            if (Character.isDigit(token.charAt(0))) {
                String digits = token.replaceAll("[uUlL]+$", "");
                if (digits.startsWith("0x") || digits.startsWith("0X")) {
                    return Long.parseUnsignedLong(digits.substring(2), 16);
                }
                return digits.length() > 1 && digits.startsWith("0")
                        ? Long.parseLong(digits.substring(1), 8) : Long.parseLong(digits);
            }
            String body = pp.body(token);
            if (body == null) {
                return 0; // undefined identifiers are 0 in #if, as in C
            }
            if (!expanding.add(token)) {
                throw new IllegalStateException(where + ": recursive macro " + token);
            }
            try {
                return new Expression(body, pp, where + " (in " + token + ")", expanding).evaluate();
            } finally {
                expanding.remove(token);
            }
        }

        private String next() {
            if (position >= tokens.size()) {
                throw new IllegalStateException(where + ": expression ends early: " + tokens);
            }
            return tokens.get(position++);
        }

        private boolean accept(String token) {
            if (position < tokens.size() && tokens.get(position).equals(token)) {
                position++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw new IllegalStateException(where + ": expected '" + token + "' in " + tokens);
            }
        }
    }

    private GenerateSyscallTables() {
    }
}
