package dev.sandboxed.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * How to run the application in a hardened container. The defaults are the hardened ones: no network, no
 * capabilities, no privilege gain through set-uid files, a read-only root filesystem, bounded processes and
 * memory. Each {@code with...} method returns a changed copy.
 */
public final class ContainerSpec {

    public static final long DEFAULT_MEMORY_BYTES = 1L << 30;
    public static final int DEFAULT_PIDS_LIMIT = 512;
    public static final long DEFAULT_TMPFS_BYTES = 64L << 20;

    private final String image;
    private final List<String> command;
    private final Path seccompProfile;
    private final boolean network;
    private final List<Mount> inputs;
    private final List<Mount> outputs;
    private final int pidsLimit;
    private final long memoryBytes;
    private final long tmpfsBytes;
    private final Duration timeout;
    private final SortedMap<String, String> environment;
    private final String workingDirectory;
    private final ContainerUser user;
    private final Path logFile;
    private final boolean readOnlyRoot;
    private final boolean executableTmp;
    private final List<String> addedCapabilities;

    private ContainerSpec(String image, List<String> command, Path seccompProfile, boolean network, List<Mount> inputs,
                          List<Mount> outputs, int pidsLimit, long memoryBytes, long tmpfsBytes, Duration timeout,
                          SortedMap<String, String> environment, String workingDirectory, ContainerUser user,
                          Path logFile, boolean readOnlyRoot, boolean executableTmp,
                          List<String> addedCapabilities) {
        this.image = image;
        this.command = command;
        this.seccompProfile = seccompProfile;
        this.network = network;
        this.inputs = inputs;
        this.outputs = outputs;
        this.pidsLimit = pidsLimit;
        this.memoryBytes = memoryBytes;
        this.tmpfsBytes = tmpfsBytes;
        this.timeout = timeout;
        this.environment = environment;
        this.workingDirectory = workingDirectory;
        this.user = user;
        this.logFile = logFile;
        this.readOnlyRoot = readOnlyRoot;
        this.executableTmp = executableTmp;
        this.addedCapabilities = addedCapabilities;
    }

    /** Runs {@code command} in {@code image} with the hardened defaults and the engine's default seccomp profile. */
    public static ContainerSpec of(String image, List<String> command) {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new IllegalArgumentException("image name is blank");
        }
        List<String> copy = List.copyOf(Objects.requireNonNull(command, "command"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("the container needs a command to run");
        }
        return new ContainerSpec(image, copy, null, false, List.of(), List.of(), DEFAULT_PIDS_LIMIT, DEFAULT_MEMORY_BYTES,
                DEFAULT_TMPFS_BYTES, Duration.ofMinutes(10), Collections.emptySortedMap(), null, null, null, true, false,
                List.of());
    }

    /** The compiled policy, a Docker/OCI {@code seccomp.json}. */
    public ContainerSpec withSeccompProfile(Path profile) {
        return copy(b -> b.seccompProfile = Objects.requireNonNull(profile, "profile").toAbsolutePath());
    }

    /** Gives the container the default bridge network; only for a policy that allows inet sockets. */
    public ContainerSpec withNetwork(boolean allowed) {
        return copy(b -> b.network = allowed);
    }

    /** A host path the application reads, mounted read-only. */
    public ContainerSpec withInput(Path source, String target) {
        List<Mount> more = new ArrayList<>(inputs);
        more.add(Mount.readOnly(source, target));
        return copy(b -> b.inputs = List.copyOf(more));
    }

    /** A writable host directory; see {@link ContainerUser} for who owns it. */
    public ContainerSpec withOutput(Path directory, String target) {
        List<Mount> more = new ArrayList<>(outputs);
        more.add(Mount.writable(directory, target));
        return copy(b -> b.outputs = List.copyOf(more));
    }

    /**
     * The application's files at the same paths as on the host, so its arguments need no rewriting: {@code inputs}
     * read-only, {@code outputs} writable; and {@code workingDirectory} as the container's when it lies in one of them.
     */
    public ContainerSpec withApplicationFiles(List<Path> inputs, List<Path> outputs, Path workingDirectory) {
        ContainerSpec result = this;
        for (Path input : inputs) {
            result = result.withInput(input, input.toString());
        }
        for (Path output : outputs) {
            result = result.withOutput(output, output.toString());
        }
        List<Mount> mounts = new ArrayList<>(result.inputs);
        mounts.addAll(result.outputs);
        if (mounts.stream().anyMatch(mount -> workingDirectory.startsWith(mount.source()))) {
            result = result.withWorkingDirectory(workingDirectory.toString());
        }
        return result;
    }

    /**
     * The read-only directory inputs made writable through overlays whose changes land under {@code scratchRoot}
     * ({@code input-0}, {@code input-1}, ...), for a complain run: what the application writes next to its inputs,
     * which enforce refuses, is then listed ({@link ContainerWrites#inOverlays}) and the inputs stay untouched.
     * Inputs that are files, or whose paths an overlay cannot name, stay read-only.
     */
    public ContainerSpec withInputsCopiedOnWrite(Path scratchRoot) {
        List<Mount> changed = new ArrayList<>();
        for (Mount input : inputs) {
            Path scratch = scratchRoot.resolve("input-" + changed.size());
            boolean overlay = !input.writable() && Files.isDirectory(input.source())
                    && Mount.canOverlay(input.source(), scratch);
            changed.add(overlay ? Mount.copyOnWrite(input.source(), input.target(), scratch) : input);
        }
        return copy(b -> b.inputs = List.copyOf(changed));
    }

    public ContainerSpec withPidsLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("pids limit must be positive, got " + limit);
        }
        return copy(b -> b.pidsLimit = limit);
    }

    public ContainerSpec withMemoryBytes(long bytes) {
        if (bytes < 6L << 20) {
            throw new IllegalArgumentException("Docker needs at least 6 MiB of memory, got " + bytes + " bytes");
        }
        return copy(b -> b.memoryBytes = bytes);
    }

    public ContainerSpec withTmpfsBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("tmpfs size must be positive, got " + bytes);
        }
        return copy(b -> b.tmpfsBytes = bytes);
    }

    public ContainerSpec withTimeout(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + limit);
        }
        return copy(b -> b.timeout = limit);
    }

    public ContainerSpec withEnvironment(Map<String, String> variables) {
        SortedMap<String, String> merged = new TreeMap<>(environment);
        Objects.requireNonNull(variables, "variables").forEach((name, value) -> {
            if (name.isEmpty() || name.contains("=")) {
                throw new IllegalArgumentException("not an environment variable name: '" + name + "'");
            }
            merged.put(name, Objects.requireNonNull(value, name));
        });
        return copy(b -> b.environment = Collections.unmodifiableSortedMap(merged));
    }

    public ContainerSpec withWorkingDirectory(String directory) {
        if (!Objects.requireNonNull(directory, "directory").startsWith("/")) {
            throw new IllegalArgumentException("working directory must be absolute, got " + directory);
        }
        return copy(b -> b.workingDirectory = directory);
    }

    /** Runs as these ids instead of the ones {@link ContainerUser#forOutput} would choose. */
    public ContainerSpec withUser(ContainerUser chosen) {
        return copy(b -> b.user = Objects.requireNonNull(chosen, "chosen"));
    }

    /**
     * Lets the application write to the container's own root filesystem, a throwaway layer, instead of refusing
     * with {@code EROFS}; the run's {@link ContainerRun#changes()} then list what it wrote there. For complain mode,
     * where a write outside the mounts is to be reported rather than to stop the application.
     */
    public ContainerSpec withWritableRoot() {
        return copy(b -> b.readOnlyRoot = false);
    }

    /**
     * Lets the application map code from files in {@code /tmp}, which the engine mounts {@code noexec} by default.
     * Java libraries with native code (JNA, Netty, SQLite drivers) unpack their shared library into the temporary
     * directory and load it from there; without this they fail with "failed to map segment from shared object".
     */
    public ContainerSpec withExecutableTmp() {
        return copy(b -> b.executableTmp = true);
    }

    /**
     * Gives back capabilities after dropping all of them, such as {@code DAC_OVERRIDE} for a complain-mode run as
     * uid 0 that must be able to write anywhere in its throwaway root filesystem so that the write can be listed.
     */
    public ContainerSpec withAddedCapabilities(List<String> capabilities) {
        List<String> copy = List.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        for (String capability : copy) {
            if (!capability.matches("[A-Z_]+")) {
                throw new IllegalArgumentException("not a capability name: '" + capability + "'");
            }
        }
        return copy(b -> b.addedCapabilities = copy);
    }

    /** Also writes the container's output to this file. */
    public ContainerSpec withLogFile(Path file) {
        return copy(b -> b.logFile = Objects.requireNonNull(file, "file"));
    }

    public String image() {
        return image;
    }

    public List<String> command() {
        return command;
    }

    public Optional<Path> seccompProfile() {
        return Optional.ofNullable(seccompProfile);
    }

    public boolean network() {
        return network;
    }

    public List<Mount> inputs() {
        return inputs;
    }

    /** The writable mounts, in the order they were added. */
    public List<Mount> outputs() {
        return outputs;
    }

    public int pidsLimit() {
        return pidsLimit;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public Duration timeout() {
        return timeout;
    }

    public Optional<ContainerUser> user() {
        return Optional.ofNullable(user);
    }

    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    public boolean readOnlyRoot() {
        return readOnlyRoot;
    }

    /**
     * The {@code docker create} options for this spec, run as {@code user}, with {@code labels} attached. Swap is
     * set equal to memory so the memory limit is not silently doubled by swap.
     */
    List<String> createOptions(String name, ContainerUser runAs, Map<String, String> labels) {
        List<String> options = new ArrayList<>(List.of("--name", name));
        labels.forEach((key, value) -> options.addAll(List.of("--label", key + "=" + value)));
        if (seccompProfile != null) {
            options.addAll(List.of("--security-opt", "seccomp=" + seccompProfile));
        }
        options.addAll(List.of(
                "--security-opt", "no-new-privileges",
                "--cap-drop", "ALL"));
        addedCapabilities.forEach(capability -> options.addAll(List.of("--cap-add", capability)));
        if (readOnlyRoot) {
            options.add("--read-only");
        }
        options.addAll(List.of(
                "--tmpfs", "/tmp:rw," + (executableTmp ? "exec," : "") + "nosuid,nodev,mode=1777,size=" + tmpfsBytes,
                "--pids-limit", Integer.toString(pidsLimit),
                "--memory", Long.toString(memoryBytes),
                "--memory-swap", Long.toString(memoryBytes),
                "--user", runAs.dockerArgument()));
        if (!network) {
            options.addAll(List.of("--network", "none"));
        }
        for (Mount input : inputs) {
            options.addAll(List.of("--mount", input.dockerArgument()));
        }
        for (Mount output : outputs) {
            options.addAll(List.of("--mount", output.dockerArgument()));
        }
        environment.forEach((key, value) -> options.addAll(List.of("--env", key + "=" + value)));
        if (workingDirectory != null) {
            options.addAll(List.of("--workdir", workingDirectory));
        }
        return options;
    }

    private ContainerSpec copy(Consumer<Builder> change) {
        Builder builder = new Builder(this);
        change.accept(builder);
        return builder.build();
    }

    private static final class Builder {
        private final String image;
        private final List<String> command;
        private Path seccompProfile;
        private boolean network;
        private List<Mount> inputs;
        private List<Mount> outputs;
        private int pidsLimit;
        private long memoryBytes;
        private long tmpfsBytes;
        private Duration timeout;
        private SortedMap<String, String> environment;
        private String workingDirectory;
        private ContainerUser user;
        private Path logFile;
        private boolean readOnlyRoot;
        private boolean executableTmp;
        private List<String> addedCapabilities;

        Builder(ContainerSpec spec) {
            image = spec.image;
            command = spec.command;
            seccompProfile = spec.seccompProfile;
            network = spec.network;
            inputs = spec.inputs;
            outputs = spec.outputs;
            pidsLimit = spec.pidsLimit;
            memoryBytes = spec.memoryBytes;
            tmpfsBytes = spec.tmpfsBytes;
            timeout = spec.timeout;
            environment = spec.environment;
            workingDirectory = spec.workingDirectory;
            user = spec.user;
            logFile = spec.logFile;
            readOnlyRoot = spec.readOnlyRoot;
            executableTmp = spec.executableTmp;
            addedCapabilities = spec.addedCapabilities;
        }

        ContainerSpec build() {
            return new ContainerSpec(image, command, seccompProfile, network, inputs, outputs, pidsLimit, memoryBytes,
                    tmpfsBytes, timeout, environment, workingDirectory, user, logFile, readOnlyRoot, executableTmp,
                    addedCapabilities);
        }
    }
}
