package dev.sandboxed.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxed.json.AtomicFiles;
import dev.sandboxed.json.Json;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.policy.Location;
import dev.sandboxed.policy.Recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Where the native runtime lets the application touch the filesystem, enforced with Landlock: paths beneath which it
 * may read, paths beneath which it may also create, change and delete, and the programs it may execute. A path is a
 * file (the rule covers that file) or a directory (everything beneath it).
 *
 * <p>The rules come from what a recording saw: files read stay readable, a file written or a directory the
 * application created or deleted in becomes writable, and only the programs that ran may run again; so a
 * compromised application cannot start a shell even though {@code execve} is allowed. {@link #runtimeNeeds} adds
 * what a JVM needs whatever it runs, because those accesses differ between runs ({@code /proc/PID}, cgroup files,
 * the JIT's temporary files) and a recording of one run cannot list them.
 *
 * <p>On disk ({@code filesystem.json}) the rules are three sorted lists of absolute paths; a user may write one by
 * hand next to the policy to replace the derived rules.
 *
 * @param read beneath these, files may be read and directories listed
 * @param readWrite beneath these, everything but executing
 * @param execute these may be executed (and read)
 */
public record FilesystemRules(SortedSet<Path> read, SortedSet<Path> readWrite, SortedSet<Path> execute) {

    public static final String FILE_NAME = "filesystem.json";
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path PROC = Path.of("/proc");
    private static final Path PROC_SELF = PROC.resolve("self");
    private static final Path PROC_THREAD_SELF = PROC.resolve("thread-self");
    /** Where the dynamic linker finds the shared libraries of any program, a JVM's included. */
    private static final List<String> SYSTEM_LIBRARIES = List.of("/lib", "/lib64", "/usr/lib", "/usr/lib64");

    public FilesystemRules {
        read = frozen(read, "read");
        readWrite = frozen(readWrite, "readWrite");
        execute = frozen(execute, "execute");
    }

    public static FilesystemRules none() {
        return new FilesystemRules(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
    }

    /**
     * The rules a recording supports: every program that ran may execute; every file read may be read; a file
     * written may be written, and the directory of a file created, deleted or renamed becomes writable (creating a
     * file needs the right on its directory). Paths under {@code /proc} are left to {@link #runtimeNeeds}, as they
     * name the recorded run's process ids; writes there are kept, because a {@code /proc/self} path is resolved
     * afresh for the verified process.
     */
    public static FilesystemRules fromRecording(Recording recording) {
        Objects.requireNonNull(recording, "recording");
        SortedSet<Path> read = new TreeSet<>();
        SortedSet<Path> readWrite = new TreeSet<>();
        SortedSet<Path> execute = new TreeSet<>();
        for (Map<String, Component> byExecutable : recording.components().values()) {
            for (Component component : byExecutable.values()) {
                absolute(component.executable()).ifPresent(execute::add);
                component.paths().forEach((name, accesses) -> absolute(name).ifPresent(path -> {
                    boolean proc = path.startsWith(PROC);
                    for (FileAccess access : accesses) {
                        switch (access) {
                            case READ -> {
                                if (!proc) {
                                    read.add(path);
                                }
                            }
                            case WRITE -> readWrite.add(path);
                            case CREATE, DELETE -> {
                                if (!proc && path.getParent() != null) {
                                    readWrite.add(path.getParent());
                                }
                            }
                            case EXECUTE -> execute.add(path);
                        }
                    }
                }));
            }
        }
        return new FilesystemRules(read, readWrite, execute);
    }

    /**
     * What a JVM (or most programs) needs whatever it does: the Java runtimes it runs from, {@code /proc} and the
     * parts of {@code /sys} describing CPUs, memory and cgroups (read, as the JVM sizes itself from them), the usual
     * character devices, and the JVM's performance-data directory ({@link #performanceData}). Not {@code /tmp} as a
     * whole: Landlock cannot take a subtree back, so a project or input that lives under {@code /tmp} would become
     * writable with it. An application that writes temporary files there gets that right from its recording.
     */
    public static FilesystemRules runtimeNeeds(Collection<Path> javaHomes) {
        SortedSet<Path> read = new TreeSet<>(javaHomes.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        for (String path : List.of("/proc", "/sys/fs/cgroup", "/sys/devices/system", "/sys/kernel/mm", "/dev/urandom",
                "/dev/random", "/dev/zero", "/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf", "/etc/passwd",
                "/etc/group", "/usr/share/locale/locale.alias")) {
            read.add(Path.of(path));
        }
        SortedSet<Path> readWrite = new TreeSet<>(List.of(Path.of("/dev/null"), performanceData()));
        return new FilesystemRules(read, readWrite, new TreeSet<>());
    }

    /** Where HotSpot keeps a running JVM's performance data, {@code /tmp/hsperfdata_USER}; it must exist for a rule. */
    public static Path performanceData() {
        return Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"));
    }

    /**
     * The rules for a run nothing was recorded of (no {@code filesystem.json}, no recording): the command's program
     * may execute, the Java runtime it is part of (with the files its links lead to, such as Debian's
     * {@code /etc/java-17-openjdk}), the system's shared libraries and the working directory may be read, and so
     * may every argument, or part of a {@code :}-separated argument, that names an existing file (a class path, an
     * input). Nothing is writable beyond {@link #runtimeNeeds} and the JVM's own {@code /proc/self/coredump_filter};
     * the caller adds the declared inputs and outputs. A Java runtime's {@code lib/jspawnhelper} may execute only
     * when {@code startsPrograms}, as the JDK starts every child process through it.
     *
     * @param program the command's program, resolved
     * @param arguments the command's arguments
     * @param workingDirectory what relative arguments are relative to
     */
    public static FilesystemRules forCommand(Path program, List<String> arguments, Path workingDirectory,
                                             boolean startsPrograms) {
        Objects.requireNonNull(program, "program");
        Path real = real(program).orElse(program.toAbsolutePath().normalize());
        SortedSet<Path> homes = new TreeSet<>();
        javaHome(real).ifPresent(homes::add);
        // The working directory is listed by programs that resolve relative paths against it (a JVM does).
        SortedSet<Path> read = new TreeSet<>(List.of(workingDirectory.toAbsolutePath().normalize()));
        for (String directory : SYSTEM_LIBRARIES) {
            Path path = Path.of(directory);
            if (Files.isDirectory(path)) {
                read.add(path);
            }
        }
        for (Path home : homes) {
            read.addAll(linkTargets(home));
        }
        for (String argument : arguments) {
            for (String part : argument.split(":")) {
                if (part.isEmpty()) {
                    continue;
                }
                try {
                    Path path = workingDirectory.resolve(part).toAbsolutePath().normalize();
                    if (path.getNameCount() > 0 && Files.exists(path)) {
                        read.add(path);
                    }
                } catch (InvalidPathException e) {
                    // Not a path: an option or a value.
                }
            }
        }
        SortedSet<Path> execute = new TreeSet<>(List.of(real));
        SortedSet<Path> readWrite = new TreeSet<>();
        for (Path home : homes) {
            if (startsPrograms) {
                execute.add(home.resolve("lib").resolve("jspawnhelper"));
            }
            // HotSpot asks for file-backed mappings in core dumps at every start.
            readWrite.add(PROC_SELF.resolve("coredump_filter"));
        }
        return new FilesystemRules(read, readWrite, execute).plus(runtimeNeeds(homes));
    }

    /**
     * The Java runtimes among the programs that ran: {@code HOME/bin/java} gives {@code HOME}, which holds the
     * runtime's modules and libraries.
     */
    public static SortedSet<Path> javaHomes(Recording recording) {
        SortedSet<Path> homes = new TreeSet<>();
        recording.components().values().forEach(byExecutable -> byExecutable.keySet().forEach(name ->
                absolute(name).flatMap(FilesystemRules::javaHome).ifPresent(homes::add)));
        return homes;
    }

    /** {@code HOME} for a program {@code HOME/bin/java}. */
    private static Optional<Path> javaHome(Path program) {
        Path bin = program.getParent();
        if (program.getFileName() != null && program.getFileName().toString().equals("java") && bin != null
                && bin.getFileName() != null && bin.getFileName().toString().equals("bin") && bin.getParent() != null) {
            return Optional.of(bin.getParent());
        }
        return Optional.empty();
    }

    /** Where the symbolic links inside {@code home} lead, outside it: a packaged JDK keeps its configuration so. */
    private static SortedSet<Path> linkTargets(Path home) {
        SortedSet<Path> targets = new TreeSet<>();
        try (Stream<Path> files = Files.walk(home)) {
            files.filter(Files::isSymbolicLink).forEach(link -> real(link)
                    .filter(target -> !target.startsWith(home)).ifPresent(targets::add));
        } catch (IOException | UncheckedIOException e) {
            // An unreadable corner of the runtime: its links stay unreadable to the application, which says so.
        }
        return targets;
    }

    /** The union of both rule sets. */
    public FilesystemRules plus(FilesystemRules other) {
        return new FilesystemRules(union(read, other.read), union(readWrite, other.readWrite),
                union(execute, other.execute));
    }

    public FilesystemRules withRead(Collection<Path> paths) {
        return new FilesystemRules(union(read, normalized(paths)), readWrite, execute);
    }

    public FilesystemRules withReadWrite(Collection<Path> paths) {
        return new FilesystemRules(read, union(readWrite, normalized(paths)), execute);
    }

    public FilesystemRules withExecute(Collection<Path> paths) {
        return new FilesystemRules(read, readWrite, union(execute, normalized(paths)));
    }

    public boolean isEmpty() {
        return read.isEmpty() && readWrite.isEmpty() && execute.isEmpty();
    }

    /**
     * The rules Landlock can be given. Landlock binds a rule to the file the path leads to, following symbolic
     * links, so each path is replaced by its real path (a JDK's {@code conf/security/java.security} is a link into
     * {@code /etc} on Debian, outside the JDK's own tree); paths that do not exist (a recorded temporary file) are
     * dropped, as a rule needs an open file; each program's ELF interpreter or script interpreter is added, as the
     * kernel opens it for execution too; and a path already beneath a broader rule with at least its rights is
     * dropped, so the launcher opens fewer files.
     */
    public FilesystemRules forLandlock() {
        SortedSet<Path> programs = new TreeSet<>();
        for (Path program : real(execute)) {
            if (Files.isRegularFile(program)) {
                programs.add(program);
                Interpreters.of(program).flatMap(FilesystemRules::real).ifPresent(programs::add);
            }
        }
        SortedSet<Path> writable = minimal(real(readWrite), Set.of());
        return new FilesystemRules(minimal(real(read), writable), writable, programs);
    }

    /**
     * Whether these rules let a file be accessed so: reads beneath any rule, changes beneath {@link #readWrite},
     * execution of a program in {@link #execute} or beneath a directory there.
     */
    public boolean allows(Path path, FileAccess access) {
        Path normal = path.toAbsolutePath().normalize();
        return switch (access) {
            case READ -> coveredBy(normal, read) || coveredBy(normal, readWrite) || coveredBy(normal, execute);
            case WRITE, CREATE, DELETE -> coveredBy(normal, readWrite);
            case EXECUTE -> coveredBy(normal, execute);
        };
    }

    /** The canonical {@code filesystem.json} text. */
    public String toJson() {
        ObjectNode root = Json.object();
        root.put("schemaVersion", SCHEMA_VERSION);
        list(root.putArray("read"), read);
        list(root.putArray("readWrite"), readWrite);
        list(root.putArray("execute"), execute);
        return Json.write(root);
    }

    public void write(Path file) {
        try {
            AtomicFiles.write(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a {@code filesystem.json}.
     *
     * @throws InvalidPolicyException naming the file and what is wrong
     */
    public static FilesystemRules read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidPolicyException("the filesystem rules file does not exist", Location.of(file), e);
        } catch (JsonProcessingException e) {
            throw new InvalidPolicyException("malformed JSON: " + e.getOriginalMessage(),
                    new Location(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                            e.getLocation() == null ? 0 : e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new InvalidPolicyException("cannot read: " + e.getMessage(), Location.of(file), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPolicyException("expected a JSON object with \"read\", \"readWrite\" and \"execute\" lists",
                    Location.of(file), null);
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.canConvertToInt() || version.intValue() != SCHEMA_VERSION) {
            throw new InvalidPolicyException("\"schemaVersion\" must be " + SCHEMA_VERSION
                    + (version != null && version.canConvertToInt() && version.intValue() > SCHEMA_VERSION
                    ? "; this file is newer than the plugin, upgrade it" : ""), Location.of(file), null);
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!Set.of("schemaVersion", "read", "readWrite", "execute").contains(key)) {
                throw new InvalidPolicyException("unknown key \"" + key + "\"; expected read, readWrite, execute",
                        Location.of(file), null);
            }
        }
        return new FilesystemRules(paths(file, root, "read"), paths(file, root, "readWrite"),
                paths(file, root, "execute"));
    }

    private static SortedSet<Path> paths(Path file, JsonNode root, String key) {
        JsonNode list = root.get(key);
        SortedSet<Path> paths = new TreeSet<>();
        if (list == null) {
            return paths;
        }
        if (!list.isArray()) {
            throw new InvalidPolicyException("\"" + key + "\" must be a list of absolute paths", Location.of(file), null);
        }
        for (JsonNode element : list) {
            String text = element.isTextual() ? element.textValue() : "";
            if (!text.startsWith("/")) {
                throw new InvalidPolicyException("\"" + key + "\" holds " + element + ", which is not an absolute path",
                        Location.of(file), null);
            }
            paths.add(absolute(text).orElseThrow(() -> new InvalidPolicyException("\"" + key + "\" holds " + element
                    + ", which is not a valid path", Location.of(file), null)));
        }
        return paths;
    }

    private static void list(ArrayNode array, SortedSet<Path> paths) {
        paths.forEach(path -> array.add(path.toString()));
    }

    private static Optional<Path> absolute(String name) {
        try {
            Path path = Path.of(name);
            return path.isAbsolute() ? Optional.of(path.normalize()) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static boolean coveredBy(Path path, Collection<Path> rules) {
        for (Path rule : rules) {
            if (path.startsWith(rule)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The real paths of those paths that exist. A path beneath {@code /proc/self} stays as it is: resolved here it
     * would name this process, while the launcher, which opens each rule's file itself, resolves it to the command
     * it becomes.
     */
    private static SortedSet<Path> real(SortedSet<Path> paths) {
        SortedSet<Path> kept = new TreeSet<>();
        for (Path path : paths) {
            if (path.startsWith(PROC_SELF) || path.startsWith(PROC_THREAD_SELF)) {
                if (Files.exists(path)) {
                    kept.add(path);
                }
            } else {
                real(path).ifPresent(kept::add);
            }
        }
        return kept;
    }

    private static Optional<Path> real(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Drops paths beneath another path of the set, or beneath one of {@code broader}. */
    private static SortedSet<Path> minimal(SortedSet<Path> paths, Set<Path> broader) {
        SortedSet<Path> kept = new TreeSet<>();
        for (Path path : paths) {
            if (!coveredBy(path, broader) && !coveredBy(path, kept)) {
                kept.add(path);
            }
        }
        return kept;
    }

    private static SortedSet<Path> normalized(Collection<Path> paths) {
        SortedSet<Path> result = new TreeSet<>();
        paths.forEach(path -> result.add(path.toAbsolutePath().normalize()));
        return result;
    }

    private static SortedSet<Path> union(Collection<Path> a, Collection<Path> b) {
        SortedSet<Path> result = new TreeSet<>(a);
        result.addAll(b);
        return result;
    }

    private static SortedSet<Path> frozen(SortedSet<Path> paths, String name) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(paths, name)));
    }
}
