package dev.sandboxed.sandbox;

import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Trimmed Java runtimes made with {@code jlink} from the build's JDK, cached on disk by what went into them. Both
 * steps are slow ({@code jdeps} takes seconds on a real classpath, {@code jlink} several more) and their inputs
 * rarely change, so a repeated verify finds both answers in the cache and pays only for reading a few
 * timestamps.
 */
public final class JavaRuntimes {

    /**
     * Modules added to whatever {@code jdeps} finds: those applications reach through reflection or service
     * loading (logging back ends, JMX, JNDI, XML parsers, zip file systems, elliptic-curve TLS), which a static
     * analysis cannot see.
     */
    public static final SortedSet<String> DEFAULT_MODULES = Collections.unmodifiableSortedSet(new TreeSet<>(List.of(
            "java.base", "java.logging", "java.management", "java.naming", "java.xml", "jdk.crypto.ec",
            "jdk.unsupported", "jdk.zipfs")));

    private static final List<String> JLINK_OPTIONS = List.of(
            "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=2");
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private final Path cache;
    private final ProcessRunner runner;

    private JavaRuntimes(Path cache, ProcessRunner runner) {
        this.cache = cache;
        this.runner = runner;
    }

    public static JavaRuntimes in(Path cacheDirectory, ProcessRunner runner) {
        return new JavaRuntimes(Objects.requireNonNull(cacheDirectory, "cacheDirectory").toAbsolutePath(),
                Objects.requireNonNull(runner, "runner"));
    }

    /**
     * The modules the classpath needs according to {@code jdeps}, plus {@link #DEFAULT_MODULES}. When {@code jdeps}
     * cannot analyse the classpath the defaults alone are used and {@code warnings} says so.
     */
    public SortedSet<String> modulesFor(Path javaHome, List<Path> classpath, Consumer<String> warnings) {
        SortedSet<String> modules = new TreeSet<>(DEFAULT_MODULES);
        if (classpath.isEmpty()) {
            return modules;
        }
        StringBuilder fingerprint = new StringBuilder(jdkFingerprint(javaHome));
        for (Path entry : classpath) {
            fingerprint.append(Fingerprints.of(entry));
        }
        Path directory = cache.resolve("modules");
        String key = Fingerprints.sha256(fingerprint.toString());
        Optional<String> cached = Fingerprints.cached(directory, key);
        if (cached.isPresent()) {
            modules.addAll(splitModules(cached.get()));
            return modules;
        }
        String joined = String.join(":", classpath.stream().map(Path::toString).toList());
        List<String> arguments = new ArrayList<>(List.of(tool(javaHome, "jdeps").toString(),
                "--print-module-deps", "--ignore-missing-deps", "-q",
                "--multi-release", Integer.toString(featureVersion(javaHome)), "--class-path", joined));
        classpath.stream().map(Path::toString).forEach(arguments::add);
        ProcessResult result = runner.run(Command.of(arguments).withTimeout(TOOL_TIMEOUT).capturingStdout());
        List<String> lines = result.stdout().lines().filter(line -> !line.isBlank()).toList();
        if (!result.succeeded() || lines.isEmpty()) {
            warnings.accept("jdeps could not analyse the classpath, so the image gets the default modules "
                    + DEFAULT_MODULES + "; name the modules explicitly if the application needs others ("
                    + (result.stderrText().isBlank() ? "exit code " + result.exitCode() : result.stderrText().strip())
                    + ")");
            return modules;
        }
        String found = lines.get(lines.size() - 1).strip();
        Fingerprints.store(directory, key, found + "\n");
        modules.addAll(splitModules(found));
        return modules;
    }

    /** A runtime holding exactly {@code modules}, made once per JDK and module set. */
    public Path runtime(Path javaHome, SortedSet<String> modules) {
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("a runtime needs at least java.base");
        }
        String key = Fingerprints.sha256(jdkFingerprint(javaHome) + "\n" + String.join(",", modules) + "\n"
                + JLINK_OPTIONS);
        Path target = cache.resolve("runtimes").resolve(key);
        if (Files.isRegularFile(target.resolve("release"))) {
            return target;
        }
        Path work = cache.resolve("runtimes").resolve(".work-" + UUID.randomUUID());
        try {
            Files.createDirectories(work);
            List<String> arguments = new ArrayList<>(List.of(tool(javaHome, "jlink").toString(),
                    "--add-modules", String.join(",", modules)));
            arguments.addAll(JLINK_OPTIONS);
            arguments.add("--output");
            arguments.add(work.resolve("runtime").toString());
            ProcessResult result = runner.run(Command.of(arguments).withTimeout(TOOL_TIMEOUT));
            if (!result.succeeded()) {
                throw new ImageAssemblyException("jlink could not build a runtime with " + modules + " from "
                        + javaHome + ": " + result.stderrText().strip()
                        + (Files.isDirectory(javaHome.resolve("jmods")) ? ""
                        : " (this JDK has no jmods directory; use a full JDK or give your own <image>)"));
            }
            try {
                Files.move(work.resolve("runtime"), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // Another build made the same runtime meanwhile; theirs is identical.
                if (!Files.isRegularFile(target.resolve("release"))) {
                    throw raced;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build a runtime in " + cache + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(work);
        }
    }

    private static Path tool(Path javaHome, String name) {
        Path tool = javaHome.resolve("bin").resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new ImageAssemblyException(tool + " does not exist: " + javaHome
                    + " is not a full JDK; point the build at a JDK or give your own <image>");
        }
        return tool;
    }

    private static int featureVersion(Path javaHome) {
        Matcher matcher = JAVA_VERSION.matcher(read(javaHome.resolve("release")));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : Runtime.version().feature();
    }

    /** What identifies a JDK's contents: where it is, its version, and when its module image last changed. */
    private static String jdkFingerprint(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            throw new ImageAssemblyException(javaHome + " has no release file; it is not a JDK");
        }
        return javaHome.toAbsolutePath().normalize() + "\n" + read(release)
                + Fingerprints.of(javaHome.resolve("lib/modules"));
    }

    private static List<String> splitModules(String text) {
        return Stream.of(text.strip().split(",")).map(String::strip).filter(module -> !module.isEmpty()).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
