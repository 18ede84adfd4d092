package dev.sandboxed.sandbox;

import dev.sandboxed.process.CommandNotFoundException;
import dev.sandboxed.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the image a verify run uses when the user names none, without any registry: a root filesystem that
 * holds only a {@code jlink}ed runtime, the shared libraries it and any extra executables load, a minimal
 * {@code /etc}, and the application's classpath. Nothing else is there, so the policy under test is exercised by
 * the application and not by a distribution's init scripts, and the image is small enough to build on every
 * change.
 *
 * <p>The image is addressed by content: its tag is derived from the SHA-256 of the deterministic archive and of
 * the image settings. An unchanged application therefore maps to an existing tag, and the import (the slow part)
 * is skipped.
 */
public final class AppImageAssembler {

    public static final String REPOSITORY = "sandbox-maven-plugin/app";
    public static final String JAVA_HOME_IN_IMAGE = "/opt/java";
    public static final String CLASSPATH_IN_IMAGE = "/app/classpath";
    /** The conventional "nobody": owns nothing in the image, so the application can change nothing there. */
    public static final String IMAGE_USER = "65534:65534";

    private static final List<String> IMAGE_SETTINGS = List.of(
            "USER " + IMAGE_USER,
            "WORKDIR /app",
            "ENV PATH=/usr/local/bin:/usr/bin:/bin",
            "ENV LANG=C.UTF-8",
            "LABEL dev.sandboxed.image=app");
    private static final String JAVA_SETTING = "ENV JAVA_HOME=" + JAVA_HOME_IN_IMAGE;
    private static final int TAG_HASH_LENGTH = 32;

    private final DockerCli docker;
    private final ProcessRunner runner;
    private final JavaRuntimes runtimes;
    private final Path workDirectory;
    private final Path librariesCache;
    private final Path archivesCache;

    private AppImageAssembler(DockerCli docker, ProcessRunner runner, Path cacheDirectory) {
        this.docker = docker;
        this.runner = runner;
        this.runtimes = JavaRuntimes.in(cacheDirectory, runner);
        Path cache = cacheDirectory.toAbsolutePath();
        this.workDirectory = cache.resolve("images");
        this.librariesCache = cache.resolve("libraries");
        this.archivesCache = cache.resolve("archives");
    }

    /** @param cacheDirectory where runtimes and module lists are kept between builds */
    public static AppImageAssembler create(DockerCli docker, ProcessRunner runner, Path cacheDirectory) {
        return new AppImageAssembler(Objects.requireNonNull(docker, "docker"), Objects.requireNonNull(runner, "runner"),
                Objects.requireNonNull(cacheDirectory, "cacheDirectory"));
    }

    /**
     * Returns an image for {@code spec}, importing it only if the engine does not have it yet.
     *
     * @throws ImageAssemblyException when an input is unusable (no jlink, an extra executable not found)
     * @throws DockerException when the engine refuses the import
     */
    public AppImage assemble(AppImageSpec spec) {
        long started = System.nanoTime();
        List<String> warnings = new ArrayList<>();
        Layout layout = layout(spec, warnings::add);
        List<String> settings = new ArrayList<>(IMAGE_SETTINGS);
        spec.javaHome().ifPresent(home -> settings.add(JAVA_SETTING));
        String tag = REPOSITORY + ":" + tagHash(layout, settings);
        boolean reused = docker.imageExists(tag);
        if (!reused) {
            importArchive(layout, tag, settings);
        }
        Optional<String> java = spec.javaHome().map(home -> JAVA_HOME_IN_IMAGE + "/bin/java");
        return new AppImage(tag, java, layout.classpath, reused, layout.archive.bytes(),
                Duration.ofNanos(System.nanoTime() - started), warnings);
    }

    /** The root filesystem {@link #assemble} would archive, for inspection. */
    public RootFilesystem rootFilesystem(AppImageSpec spec, Consumer<String> warnings) {
        return plan(spec, warnings).filesystem;
    }

    private record Plan(RootFilesystem filesystem, List<String> classpath) {
    }

    private record Layout(RootFilesystem filesystem, List<String> classpath, TarArchive.Written archive) {
    }

    /**
     * The plan and its archive's hash. The hash is remembered by the plan's fingerprint, so an unchanged
     * application costs a few hundred {@code stat}s instead of reading and hashing the whole runtime; a new
     * fingerprint is hashed without writing, since on the common path the image exists and the archive is
     * never needed.
     */
    private Layout layout(AppImageSpec spec, Consumer<String> warnings) {
        Plan plan = plan(spec, warnings);
        String fingerprint = Fingerprints.sha256(TarArchive.FORMAT + "\n" + plan.filesystem.fingerprint());
        Optional<String> remembered = Fingerprints.cached(archivesCache, fingerprint);
        if (remembered.isPresent()) {
            String[] fields = remembered.get().strip().split(" ");
            return new Layout(plan.filesystem, plan.classpath, new TarArchive.Written(fields[0],
                    Long.parseLong(fields[1])));
        }
        try {
            TarArchive.Written archive = TarArchive.write(plan.filesystem, OutputStream.nullOutputStream());
            Fingerprints.store(archivesCache, fingerprint, archive.sha256() + " " + archive.bytes() + "\n");
            return new Layout(plan.filesystem, plan.classpath, archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image's files: " + e.getMessage(), e);
        }
    }

    private Plan plan(AppImageSpec spec, Consumer<String> warnings) {
        RootFilesystem.Builder root = RootFilesystem.builder();
        List<Path> elfCandidates = new ArrayList<>();
        Optional<Path> runtime = spec.javaHome().map(javaHome -> {
            SortedSet<String> modules = new TreeSet<>(spec.modules());
            if (modules.isEmpty()) {
                modules.addAll(runtimes.modulesFor(javaHome, spec.classpath(), warnings));
            } else {
                modules.add("java.base");
            }
            return runtimes.runtime(javaHome, modules);
        });
        runtime.ifPresent(java -> {
            root.tree(JAVA_HOME_IN_IMAGE, java);
            elfCandidates.addAll(nativeFiles(java));
        });
        Map<String, Path> executables = extraExecutables(spec.extraExecutables());
        executables.forEach(root::file);
        elfCandidates.addAll(executables.values());

        SharedLibraries libraries = libraries(elfCandidates);
        for (Path library : libraries.found()) {
            if (runtime.isEmpty() || !library.startsWith(runtime.get())) {
                root.file(library.toString(), library);
            }
        }
        Set<String> runtimeLibraries = runtime.map(AppImageAssembler::runtimeLibraryNames).orElse(Set.of());
        for (String missing : libraries.missing()) {
            String name = missing.substring(missing.lastIndexOf(": ") + 2);
            if (!runtimeLibraries.contains(name)) {
                String where = runtime.map(java -> missing.replace(java.toString(), JAVA_HOME_IN_IMAGE)).orElse(missing);
                warnings.accept("no library " + where + " on this host; code that loads it will fail in the container");
            }
        }

        root.file("/etc/passwd", ("root:x:0:0:root:/root:/sbin/nologin\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n").getBytes(StandardCharsets.US_ASCII), 0644);
        root.file("/etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.US_ASCII), 0644);
        root.directory("/tmp", 01777);
        for (String mountPoint : List.of("/proc", "/dev", "/sys", "/app")) {
            root.directory(mountPoint, 0755);
        }

        List<String> classpath = new ArrayList<>();
        for (int i = 0; i < spec.classpath().size(); i++) {
            Path entry = spec.classpath().get(i);
            String inImage = CLASSPATH_IN_IMAGE + "/" + String.format("%03d-%s", i, entry.getFileName());
            if (Files.isDirectory(entry)) {
                root.tree(inImage, entry);
            } else if (Files.isRegularFile(entry)) {
                root.file(inImage, entry);
            } else {
                throw new ImageAssemblyException("classpath entry " + entry + " does not exist");
            }
            classpath.add(inImage);
        }
        return new Plan(root.build(), classpath);
    }

    /**
     * Image path → host file for each extra program: a name is looked up on PATH and keeps the path it was
     * found at, so {@code gzip} found as {@code /usr/bin/gzip} is found again by the application's own PATH
     * search; a script's {@code #!} interpreter is added as well.
     */
    private static Map<String, Path> extraExecutables(List<String> programs) {
        Map<String, Path> found = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(programs);
        while (!pending.isEmpty()) {
            String program = pending.remove(0);
            Path host;
            try {
                host = ProcessRunner.locate(program);
            } catch (CommandNotFoundException e) {
                throw new ImageAssemblyException("extra executable " + program + " is not on this host: "
                        + e.getMessage(), e);
            }
            String inImage = host.toAbsolutePath().normalize().toString();
            if (found.putIfAbsent(inImage, host) == null) {
                interpreter(host).ifPresent(pending::add);
            }
        }
        return found;
    }

    private static Optional<String> interpreter(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(256);
            if (head.length < 3 || head[0] != '#' || head[1] != '!') {
                return Optional.empty();
            }
            String line = new String(head, 2, head.length - 2, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            String[] words = line.strip().split("\\s+");
            return words.length == 0 || words[0].isEmpty() ? Optional.empty() : Optional.of(words[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@link SharedLibraries#of}, remembered by the candidates' fingerprints: {@code ldd} forks per file. */
    private SharedLibraries libraries(List<Path> candidates) {
        StringBuilder fingerprint = new StringBuilder();
        candidates.stream().sorted().forEach(file -> fingerprint.append(Fingerprints.of(file)));
        String key = Fingerprints.sha256(fingerprint.toString());
        Optional<String> remembered = Fingerprints.cached(librariesCache, key);
        if (remembered.isPresent()) {
            SortedSet<Path> found = new TreeSet<>();
            SortedSet<String> missing = new TreeSet<>();
            for (String line : remembered.get().split("\n")) {
                if (line.startsWith("found\t")) {
                    found.add(Path.of(line.substring(6)));
                } else if (line.startsWith("missing\t")) {
                    missing.add(line.substring(8));
                }
            }
            return new SharedLibraries(found, missing);
        }
        SharedLibraries libraries = SharedLibraries.of(runner, candidates);
        StringBuilder text = new StringBuilder();
        libraries.found().forEach(path -> text.append("found\t").append(path).append('\n'));
        libraries.missing().forEach(name -> text.append("missing\t").append(name).append('\n'));
        Fingerprints.store(librariesCache, key, text.toString());
        return libraries;
    }

    /** The runtime's launchers and shared objects: what the dynamic loader has to satisfy. */
    private static List<Path> nativeFiles(Path runtime) {
        try (Stream<Path> files = Files.walk(runtime)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getParent().getFileName().toString().equals("bin")
                            || file.getFileName().toString().endsWith(".so"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runtime + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> runtimeLibraryNames(Path runtime) {
        try (Stream<Path> files = Files.walk(runtime)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".so"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runtime + ": " + e.getMessage(), e);
        }
    }

    /** The archive's hash and the image settings: an image is the pair, so both must name it. */
    private static String tagHash(Layout layout, List<String> settings) {
        return Fingerprints.sha256(layout.archive.sha256() + "\n" + String.join("\n", settings))
                .substring(0, TAG_HASH_LENGTH);
    }

    private void importArchive(Layout layout, String tag, List<String> settings) {
        Path archive = null;
        try {
            Files.createDirectories(workDirectory);
            archive = Files.createTempFile(workDirectory, "rootfs-", ".tar");
            TarArchive.Written written = TarArchive.write(layout.filesystem, archive);
            if (!written.equals(layout.archive)) {
                throw new ImageAssemblyException("the application's files changed while the image was being built;"
                        + " run the build again");
            }
            docker.importImage(archive, tag, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image archive in " + workDirectory + ": "
                    + e.getMessage(), e);
        } finally {
            if (archive != null) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException e) {
                    // A stale temporary archive only costs disk space; the import's outcome matters more.
                }
            }
        }
    }
}
