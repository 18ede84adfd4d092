import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the symbolic constants policies may use ({@code AF_INET}, {@code CLONE_NEWUSER}, {@code TIOCSTI},
 * {@code EPERM}, ...) with their values per architecture, computed by the C compiler from the installed headers so
 * that no value is typed by hand.
 *
 * <p>Run from the repository root (needs gcc, linux-libc-dev and libc6-dev):
 * <pre>
 * java src/build/GenerateConstants.java [--out src/main/resources/dev/sandboxed/syscall]
 * </pre>
 *
 * <p>Every group below names the headers that define it and a pattern for its names. The generator asks
 * {@code gcc -E -dM} (macros) and {@code gcc -E} (enumerators) which names exist, then compiles and runs a program
 * that prints each value, so expressions such as {@code _IOR('T', 0x2A, struct termios2)} are evaluated exactly as
 * a C program would see them.
 *
 * <p>The host is x86_64. For aarch64 the same groups are compiled with {@code src/build/aarch64-uapi} first on the
 * include path: small headers we author that state where arm64's UAPI differs from the generic one (open flags,
 * {@code PROT_BTI}/{@code PROT_MTE}, no {@code MAP_32BIT}, no x86 ptrace requests) and otherwise include the
 * generic header, so derived values such as {@code O_TMPFILE} come out right for arm64 too. The glibc socket and
 * mount headers used for some groups are identical on both architectures.
 *
 * <p>Output rows are {@code symbol<TAB>value<TAB>group[<TAB>alias]}, sorted, without timestamps. {@code alias}
 * marks a second name for a value whose first name a report should prefer ({@code EWOULDBLOCK} for
 * {@code EAGAIN}, {@code AF_LOCAL} for {@code AF_UNIX}).
 */
public final class GenerateConstants {

    /**
     * @param enumerators whether names also come from enumerators, not only from macros
     * @param enumTag if set, names come only from the enumerators of {@code enum enumTag}
     */
    record Group(String name, List<String> headers, Pattern names, boolean enumerators, String enumTag) {
        static Group macros(String name, String regex, String... headers) {
            return new Group(name, List.of(headers), Pattern.compile(regex), false, null);
        }

        static Group macrosAndEnumerators(String name, String regex, String... headers) {
            return new Group(name, List.of(headers), Pattern.compile(regex), true, null);
        }

        static Group enumOnly(String name, String enumTag, String regex, String... headers) {
            return new Group(name, List.of(headers), Pattern.compile(regex), true, enumTag);
        }
    }

    /** Earlier groups win when a name matches several. */
    private static final List<Group> GROUPS = List.of(
            // glibc's errno.h adds ENOTSUP, the POSIX name of EOPNOTSUPP, to the kernel's list.
            Group.macros("errno", "^E[A-Z0-9]+$", "errno.h"),
            // SIGRTMAX is _NSIG, which x86_64's UAPI headers leave to the kernel; it is 64 on both architectures.
            Group.macros("signal", "^SIG(?!STKSZ$|RTMAX$)[A-Z0-9]+$", "linux/signal.h"),
            Group.macros("AF", "^AF_(?!MAX$)[A-Z0-9]+$", "sys/socket.h"),
            Group.macros("PF", "^PF_(?!MAX$)[A-Z0-9]+$", "sys/socket.h"),
            Group.macros("SOCK", "^SOCK_[A-Z]+$", "sys/socket.h"),
            Group.macros("SOL", "^SOL_[A-Z0-9_]+$", "sys/socket.h"),
            Group.macros("SO", "^SO_[A-Z0-9_]+$", "sys/socket.h"),
            Group.macros("MSG", "^MSG_[A-Z0-9_]+$", "sys/socket.h"),
            Group.macros("IPPROTO", "^IPPROTO_(?!MAX$)[A-Z0-9]+$", "netinet/in.h"),
            Group.macros("NETLINK", "^NETLINK_[A-Z0-9_]+$", "linux/netlink.h"),
            Group.macros("CLONE", "^(CLONE_(?!ARGS_)[A-Z0-9_]+|CSIGNAL)$", "linux/sched.h"),
            Group.macros("SCHED", "^SCHED_(?!FLAG_)[A-Z_]+$", "linux/sched.h"),
            Group.macros("PROT", "^PROT_[A-Z0-9_]+$", "linux/mman.h"),
            Group.macros("MAP", "^MAP_[A-Z0-9_]+$", "linux/mman.h"),
            Group.macros("MADV", "^MADV_[A-Z0-9_]+$", "linux/mman.h"),
            Group.macros("MREMAP", "^MREMAP_[A-Z_]+$", "linux/mman.h"),
            Group.macros("MFD", "^MFD_[A-Z0-9_]+$", "linux/memfd.h"),
            Group.macros("O", "^O_[A-Z0-9_]+$", "linux/fcntl.h"),
            Group.macros("F", "^(F_[A-Z0-9_]+|FD_CLOEXEC)$", "linux/fcntl.h"),
            Group.macros("AT", "^AT_[A-Z0-9_]+$", "linux/fcntl.h"),
            Group.macros("RESOLVE", "^RESOLVE_[A-Z_]+$", "linux/openat2.h"),
            Group.macros("ioctl",
                    "^(TC(GET|SET|SBRK|XONC|FLSH)[A-Z0-9]*|TIOC(?!PKT_|SER_)[A-Z0-9_]+|FIO[A-Z0-9_]+|SIOC[A-Z0-9_]+)$",
                    "asm/termbits.h", "asm/ioctls.h", "linux/sockios.h", "linux/serial.h"),
            Group.macros("PR", "^PR_[A-Z0-9_]+$", "linux/prctl.h"),
            Group.macrosAndEnumerators("personality",
                    "^(PER_[A-Z0-9_]+|ADDR_[A-Z0-9_]+|UNAME26|MMAP_PAGE_ZERO|FDPIC_FUNCPTRS|READ_IMPLIES_EXEC"
                            + "|SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS)$",
                    "linux/personality.h"),
            Group.macros("SECCOMP", "^SECCOMP_[A-Z0-9_]+$", "linux/ioctl.h", "linux/seccomp.h"),
            Group.macros("FUTEX", "^FUTEX_[A-Z0-9_]+$", "linux/futex.h"),
            Group.macros("PTRACE", "^PTRACE_[A-Z0-9_]+$", "linux/ptrace.h"),
            Group.macros("KEYCTL", "^(KEYCTL_[A-Z0-9_]+|KEY_SPEC_[A-Z_]+)$", "linux/keyctl.h"),
            Group.enumOnly("BPF", "bpf_cmd", "^BPF_[A-Z0-9_]+$", "linux/bpf.h"),
            Group.macros("MS", "^MS_[A-Z0-9_]+$", "linux/mount.h"),
            Group.macros("MNT", "^(MNT_(FORCE|DETACH|EXPIRE)|UMOUNT_NOFOLLOW)$", "sys/mount.h"),
            Group.macros("PERF_FLAG", "^PERF_FLAG_[A-Z_]+$", "linux/perf_event.h"),
            Group.macros("CAP", "^CAP_[A-Z_]+$", "linux/capability.h"),
            Group.macros("GRND", "^GRND_[A-Z]+$", "linux/random.h"),
            Group.macros("CLOCK", "^CLOCK_[A-Z_]+$", "linux/time.h"),
            Group.macros("RLIMIT", "^RLIMIT_[A-Z]+$", "linux/resource.h"),
            Group.macros("wait", "^(W(NOHANG|UNTRACED|STOPPED|EXITED|CONTINUED|NOWAIT)|__W(ALL|CLONE|NOTHREAD)"
                    + "|P_(ALL|PID|PGID|PIDFD))$", "linux/wait.h"),
            Group.macros("LANDLOCK", "^LANDLOCK_[A-Z_]+$", "linux/landlock.h"));

    /**
     * Second names that equal another name of the same group but are not spelled as an alias of it. Names ending
     * in {@code _OLD} are also second: {@code SO_RCVTIMEO} reads better in a report than {@code SO_RCVTIMEO_OLD}.
     */
    private static final Set<String> SECONDARY = Set.of("AF_FILE", "AF_LOCAL", "PF_FILE", "PF_LOCAL");

    private static final Pattern DEFINE = Pattern.compile("#define (\\w+) (.*)");
    private static final Pattern ENUM = Pattern.compile("enum\\s*(\\w*)\\s*\\{([^}]*)\\}");
    private static final Pattern ERROR_LINE = Pattern.compile("values\\.c:(\\d+):\\d+: error");

    public static void main(String[] args) throws IOException {
        Path out = Path.of("src/main/resources/dev/sandboxed/syscall");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + "; usage: [--out DIR]");
            }
        }
        Path overlay = Path.of("src/build/aarch64-uapi").toAbsolutePath();
        if (!Files.isDirectory(overlay)) {
            throw new IllegalStateException(overlay + " is missing; run from the repository root");
        }
        write(out.resolve("constants-x86_64.tsv"), "x86_64", generate(List.of()));
        write(out.resolve("constants-aarch64.tsv"), "aarch64", generate(List.of("-I" + overlay)));
    }

    record Constant(String symbol, long value, String group, boolean alias) {
    }

    private static Map<String, Constant> generate(List<String> options) throws IOException {
        Map<String, Constant> constants = new TreeMap<>();
        for (Group group : GROUPS) {
            String includes = includes(group);
            Map<String, String> bodies = group.enumTag() == null ? macros(includes, options) : Map.of();
            Set<String> candidates = new TreeSet<>(bodies.keySet());
            if (group.enumerators()) {
                candidates.addAll(enumerators(includes, options, group));
            }
            Set<String> names = new TreeSet<>();
            for (String name : candidates) {
                if (group.names().matcher(name).matches() && !constants.containsKey(name)) {
                    names.add(name);
                }
            }
            Map<String, Long> values = values(includes, new ArrayList<>(names), options, group);
            values.forEach((symbol, value) -> {
                String body = bodies.getOrDefault(symbol, "");
                boolean alias = SECONDARY.contains(symbol) || symbol.endsWith("_OLD")
                        || !body.equals(symbol) && !body.endsWith("_OLD") && values.containsKey(body) && values.get(body).equals(value);
                constants.put(symbol, new Constant(symbol, value, group.name(), alias));
            });
        }
        return constants;
    }

    private static String includes(Group group) {
        StringBuilder c = new StringBuilder("#define _GNU_SOURCE\n");
        group.headers().forEach(h -> c.append("#include <").append(h).append(">\n"));
        return c.toString();
    }

    private static Map<String, String> macros(String includes, List<String> options) throws IOException {
        List<String> command = new ArrayList<>(List.of("gcc", "-E", "-dM"));
        command.addAll(options);
        command.add("-");
        Map<String, String> macros = new LinkedHashMap<>();
        for (String line : run(command, includes).split("\n")) {
            Matcher m = DEFINE.matcher(line);
            if (m.matches()) {
                macros.put(m.group(1), m.group(2).strip());
            }
        }
        return macros;
    }

    private static Set<String> enumerators(String includes, List<String> options, Group group) throws IOException {
        List<String> command = new ArrayList<>(List.of("gcc", "-E", "-P"));
        command.addAll(options);
        command.add("-");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ENUM.matcher(run(command, includes));
        while (m.find()) {
            if (group.enumTag() != null && !group.enumTag().equals(m.group(1))) {
                continue;
            }
            for (String item : m.group(2).split(",")) {
                String name = item.split("=")[0].strip();
                if (name.matches("[A-Za-z_]\\w*")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /**
     * Compiles and runs a program printing every value. A name the compiler rejects (a macro that expands to a
     * string, a type, or something needing a struct the group's headers lack) is dropped and reported.
     */
    private static Map<String, Long> values(String includes, List<String> names, List<String> options, Group group)
            throws IOException {
        Path dir = Files.createTempDirectory("constants");
        try {
            List<String> remaining = new ArrayList<>(names);
            for (int attempt = 0; attempt < 5; attempt++) {
                Path source = dir.resolve("values.c");
                StringBuilder c = new StringBuilder(includes).append("#include <stdio.h>\nint main(void) {\n");
                int firstLine = (int) c.chars().filter(ch -> ch == '\n').count() + 1;
                for (String name : remaining) {
                    c.append("printf(\"%s\\t%lld\\n\", \"").append(name).append("\", (long long) (").append(name)
                            .append("));\n");
                }
                c.append("return 0;\n}\n");
                Files.writeString(source, c, StandardCharsets.US_ASCII);
                Path binary = dir.resolve("values");
                List<String> compile = new ArrayList<>(List.of("gcc", "-w", "-o", binary.toString()));
                compile.addAll(options);
                compile.add(source.toString());
                Result result = exec(compile, null);
                if (result.exitCode() == 0) {
                    Map<String, Long> values = new LinkedHashMap<>();
                    for (String line : run(List.of(binary.toString()), null).split("\n")) {
                        if (!line.isEmpty()) {
                            String[] f = line.split("\t");
                            values.put(f[0], Long.parseLong(f[1]));
                        }
                    }
                    return values;
                }
                Set<String> rejected = new TreeSet<>();
                Matcher m = ERROR_LINE.matcher(result.error());
                while (m.find()) {
                    int index = Integer.parseInt(m.group(1)) - firstLine;
                    if (index < 0 || index >= remaining.size()) {
                        throw new IllegalStateException("group " + group.name() + " does not compile:\n"
                                + result.error());
                    }
                    rejected.add(remaining.get(index));
                }
                if (rejected.isEmpty()) {
                    throw new IllegalStateException("group " + group.name() + " does not compile:\n" + result.error());
                }
                System.out.println("group " + group.name() + ": not integer constants, skipped: " + rejected);
                remaining.removeAll(rejected);
            }
            throw new IllegalStateException("group " + group.name() + " still does not compile after 5 attempts");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void write(Path file, String arch, Map<String, Constant> constants) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# GENERATED by src/build/GenerateConstants.java - do not edit.\n");
        text.append("# ").append(arch).append(" values of the constants policies may name, computed by gcc from the")
                .append(" installed headers").append(arch.equals("aarch64") ? " with src/build/aarch64-uapi" : "")
                .append(".\n");
        text.append("# symbol<TAB>value<TAB>group[<TAB>alias]\n");
        constants.values().stream()
                .sorted(Comparator.comparing(Constant::group).thenComparing(Constant::symbol))
                .forEach(k -> text.append(k.symbol()).append('\t').append(k.value()).append('\t').append(k.group())
                        .append(k.alias() ? "\talias" : "").append('\n'));
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        System.out.println("wrote " + file + " (" + constants.size() + " constants)");
    }

    record Result(int exitCode, String output, String error) {
    }

    private static String run(List<String> command, String stdin) throws IOException {
        Result result = exec(command, stdin);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + result.error());
        }
        return result.output();
    }

    private static Result exec(List<String> command, String stdin) throws IOException {
        Path errors = Files.createTempFile("gcc", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new Result(process.exitValue(), output, Files.readString(errors, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private GenerateConstants() {
    }
}
