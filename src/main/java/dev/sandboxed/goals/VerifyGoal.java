package dev.sandboxed.goals;

import dev.sandboxed.json.AtomicFiles;
import dev.sandboxed.linux.Executables;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.DockerProfile;
import dev.sandboxed.policy.FileFormat;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.policy.LoadedPolicy;
import dev.sandboxed.policy.Location;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyFiles;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.process.CommandNotFoundException;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.record.RecordingStore;
import dev.sandboxed.report.HtmlReport;
import dev.sandboxed.report.ReportInput;
import dev.sandboxed.report.ReportViolation;
import dev.sandboxed.sandbox.AppImageSpec;
import dev.sandboxed.sandbox.ContainerRun;
import dev.sandboxed.sandbox.ContainerSpec;
import dev.sandboxed.sandbox.ContainerUser;
import dev.sandboxed.sandbox.ContainerWrites;
import dev.sandboxed.sandbox.DockerCli;
import dev.sandboxed.sandbox.DockerPolicies;
import dev.sandboxed.sandbox.DockerVerification;
import dev.sandboxed.sandbox.DockerVerifier;
import dev.sandboxed.sandbox.EngineStatus;
import dev.sandboxed.sandbox.FilesystemRules;
import dev.sandboxed.sandbox.FilesystemViolation;
import dev.sandboxed.sandbox.NativeRun;
import dev.sandboxed.sandbox.NativeSandbox;
import dev.sandboxed.sandbox.NativeSpec;
import dev.sandboxed.sandbox.RunOutcome;
import dev.sandboxed.sandbox.Violations;
import dev.sandboxed.sandbox.ViolationsJson;
import dev.sandboxed.syscall.Arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@code sandbox:verify}: runs the application again, this time under the compiled policy, and says whether the
 * policy holds. Natively, the filesystem is confined with Landlock to the rules of a {@code filesystem.json}, else
 * to those the recording supports, else to those the command itself implies ({@link FilesystemRules#forCommand}):
 * never left open. The run happens in a hardened container (Docker) or on this machine ({@link NativeSandbox}); in
 * enforce mode a run that fails or is refused anything is run once more in complain mode, which lets every call
 * through and reports each one the policy would refuse, with its arguments: so the report names every violation of
 * the whole run, not just the first, and tells a failure of the application from one the sandbox caused.
 *
 * <p>Outputs: {@code violations.json} in the output directory (the same list as the message, with the policy line
 * that would allow each call), and under {@code verify/} the compiled filters, Docker profiles and the filesystem
 * rules the run applied.
 */
public final class VerifyGoal {

    public static final String VIOLATIONS_JSON = "violations.json";
    /** The subdirectory of the output directory for what the run applied. */
    public static final String WORK_DIRECTORY = "verify";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    /** uid 0's home in an assembled image: a complain run as root writes there what a run as nobody cannot. */
    private static final String ROOT_HOME = "/root";

    /**
     * @param target what to run
     * @param workingDirectory where it runs on this machine (in a container only when it lies in a mount)
     * @param environment variables added to the build's environment (the only ones a container gets)
     * @param timeout how long one run may take before it is killed
     * @param policy our policy, a Docker profile, or a recording; the format is detected
     * @param runtime where to run
     * @param mode what a refused call gets
     * @param failOnViolation whether violations fail the build (an application failure always does)
     * @param image an image of the user's own for Docker (with {@code target} a command), instead of one assembled
     * @param extraExecutables programs the application runs besides itself: copied into an assembled image, and
     *     allowed to execute natively
     * @param outputDirectory where {@code violations.json} and the run's artifacts go
     * @param inputs paths the application reads: mounted read-only in a container, readable natively
     * @param outputs directories the application writes: mounted writable (one at most), writable natively
     * @param logFile a file that also receives the application's output
     */
    public record Request(RunTarget target, Path workingDirectory, Map<String, String> environment,
                          Duration timeout, Path policy, VerifyRuntime runtime, VerifyMode mode,
                          boolean failOnViolation, Optional<String> image, List<String> extraExecutables, Path outputDirectory,
                          List<Path> inputs, List<Path> outputs, Optional<Path> logFile) {

        public Request {
            Objects.requireNonNull(target, "target");
            workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory").toAbsolutePath();
            environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(image, "image");
            extraExecutables = List.copyOf(Objects.requireNonNull(extraExecutables, "extraExecutables"));
            outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory").toAbsolutePath();
            inputs = Objects.requireNonNull(inputs, "inputs").stream().map(Path::toAbsolutePath).toList();
            outputs = Objects.requireNonNull(outputs, "outputs").stream().map(Path::toAbsolutePath).toList();
            Objects.requireNonNull(logFile, "logFile");
        }
    }

    /**
     * @param outcome how it ended
     * @param runtime where it ran ({@link VerifyRuntime#AUTO} resolved)
     * @param exitCode the application's exit code, -1 when it did not end by itself
     * @param message what to tell the user, several lines for violations
     * @param violations everything refused, explained
     * @param written files written
     * @param failsBuild whether the build must fail: an application failure always, violations with
     *     {@code failOnViolation}; an infrastructure failure is the caller's to report as an error
     */
    public record Result(VerifyOutcome outcome, VerifyRuntime runtime, VerifyMode mode, int exitCode, String message,
                         Violations violations, List<Path> written, boolean failsBuild) {

        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(violations, "violations");
            written = List.copyOf(written);
        }
    }

    /**
     * One run's observations, whichever runtime made them.
     *
     * @param diagnosed whether a complain-mode re-run confirmed the lists
     */
    private record Attempt(RunOutcome outcome, int exitCode, String detail, Duration elapsed, Violations violations,
                           boolean diagnosed) {
    }

    private final Console console;
    private final Supplier<Linux> linux;
    private final ProcessRunner runner;
    private final DockerCli docker;
    private final Path cacheDirectory;

    /**
     * @param linux the native layer, asked for only when the application runs natively
     * @param cacheDirectory where Java runtimes made for images are kept between builds
     */
    public VerifyGoal(Console console, Supplier<Linux> linux, ProcessRunner runner, Path cacheDirectory) {
        this(console, linux, runner, DockerCli.create(runner), cacheDirectory);
    }

    /** @param docker the engine to use, instead of the one the {@code docker} CLI is configured for */
    public VerifyGoal(Console console, Supplier<Linux> linux, ProcessRunner runner, DockerCli docker,
                      Path cacheDirectory) {
        this.console = Objects.requireNonNull(console, "console");
        this.linux = Objects.requireNonNull(linux, "linux");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.docker = Objects.requireNonNull(docker, "docker");
        this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    }

    /**
     * Rewrites {@code report.html} with this run's violations, beside the policy and the recordings in the output
     * directory, so the page people open after a failed build shows what failed and the lines to add.
     */
    private static Path writeReport(Request request, Policy policy, Violations violations) {
        Path report = request.outputDirectory().resolve(ProfileGoal.REPORT);
        List<ReportViolation> shown = violations.violations().stream().map(v -> new ReportViolation(v.arch(),
                v.executable(), v.syscall(), v.number(), v.action(), v.count(), v.argumentValues(),
                v.fix().startsWith(VerifyReport.FIX_PREFIX) ? v.fix().substring(VerifyReport.FIX_PREFIX.length()) : "")).toList();
        ReportInput input = ReportInput.of(request.outputDirectory().getFileName().toString(), policy)
                .withViolations(shown);
        Optional<Recording> recording = RecordingStore.mergedIn(request.outputDirectory());
        if (recording.isPresent()) {
            input = input.withRecording(recording.get());
        }
        try {
            HtmlReport.write(input, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + report + ": " + e.getMessage(), e);
        }
        return report;
    }

    /**
     * @throws InvalidPolicyException when the policy (or {@code filesystem.json}) cannot be used
     * @throws VerifyConfigurationException when a parameter makes the run impossible
     */
    public Result run(Request request) {
        LoadedPolicy loaded = readPolicy(request.policy());
        Path violationsFile = request.outputDirectory().resolve(VIOLATIONS_JSON);
        Path work = request.outputDirectory().resolve(WORK_DIRECTORY);
        List<Path> written = new ArrayList<>();
        try {
            Files.deleteIfExists(violationsFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the previous " + violationsFile + ": " + e.getMessage(), e);
        }
        VerifyRuntime runtime = chooseRuntime(request);
        Attempt attempt = runtime == VerifyRuntime.NATIVE
                ? runNative(request, loaded, work, written)
                : runDocker(request, loaded.policy(), work, written, violationsFile);
        Path rulesFile = request.policy().toAbsolutePath().getParent().resolve(FilesystemRules.FILE_NAME);
        Path applied = work.resolve(FilesystemRules.FILE_NAME);
        Violations violations = VerifyReport.explained(attempt.violations(), loaded.policy(), rulesFile,
                written.contains(applied) ? Optional.of(applied) : Optional.empty());
        VerifyOutcome outcome = outcome(attempt, violations);
        if (outcome != VerifyOutcome.INFRASTRUCTURE_FAILED) {
            ViolationsJson.write(violations, violationsFile);
            written.add(violationsFile);
            written.add(writeReport(request, loaded.policy(), violations));
        }
        violations.warnings().forEach(console::warn);
        String message = message(outcome, runtime, request, attempt, violations, violationsFile);
        boolean fails = outcome == VerifyOutcome.APPLICATION_FAILED
                || outcome == VerifyOutcome.VIOLATIONS && request.failOnViolation();
        return new Result(outcome, runtime, request.mode(), attempt.exitCode(), message, violations, written, fails);
    }

    /**
     * Prepares the project's forked test JVMs to run under the policy, as JaCoCo's {@code prepare-agent} prepares
     * them to be measured: writes {@code script}, a {@code java} stand-in for maven-surefire-plugin's and
     * maven-failsafe-plugin's {@code <jvm>} that runs the real {@code java} through {@link VerifyTestJvm}, natively
     * and in enforce mode. The filesystem rules are chosen as for a run of {@code request}'s target (a
     * {@code filesystem.json}, else the recordings, {@code recording-tests.json} included, else the command's own),
     * with {@code readable} added: what a test JVM reads beyond its recording, such as the project and the local
     * repository its class path lies in. Violations go to {@code verify/test-jvm/} in the output directory.
     *
     * @param request the run's settings; its target is the real {@code java}
     * @param toolClasspath the class path {@link VerifyTestJvm} runs on
     * @return the script
     * @throws VerifyConfigurationException when the runtime or the mode cannot sandbox a test JVM
     */
    public Path prepareTestJvms(Request request, Path script, List<Path> toolClasspath, List<Path> readable) {
        if (request.runtime() == VerifyRuntime.DOCKER) {
            throw new VerifyConfigurationException("sandbox.runtime", "forked test JVMs run under the sandbox natively"
                    + " only (Maven starts them on this machine); use sandbox.runtime=native or auto");
        }
        if (request.mode() != VerifyMode.ENFORCE) {
            throw new VerifyConfigurationException("sandbox.mode", "forked test JVMs run in enforce mode only, so a"
                    + " refused call fails the test that made it; use sandbox.mode=enforce");
        }
        LoadedPolicy loaded = readPolicy(request.policy());
        Arch arch = NativeSandbox.create(linux.get(), runner).arch();
        if (!loaded.policy().architectures().contains(arch)) {
            throw new InvalidPolicyException("the policy has no rules for " + arch.id() + ", the architecture of this"
                    + " machine; add it to \"architectures\"", Location.of(request.policy()), null);
        }
        Path work = request.outputDirectory().resolve(WORK_DIRECTORY).resolve("test-jvm");
        clear(work);
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(request.environment());
        List<Path> inputs = new ArrayList<>(request.inputs());
        inputs.addAll(readable);
        Request widened = new Request(request.target(), request.workingDirectory(), request.environment(),
                request.timeout(), request.policy(), request.runtime(), request.mode(), request.failOnViolation(),
                request.image(), request.extraExecutables(), request.outputDirectory(), inputs, request.outputs(),
                request.logFile());
        filesystemRules(widened, environment, recording(widened, loaded), work, new ArrayList<>());
        List<String> arguments = List.of("--policy", request.policy().toAbsolutePath().toString(),
                "--filesystem", work.resolve(FilesystemRules.FILE_NAME).toString(),
                "--violations", work.toString(),
                "--pids", Integer.toString(ContainerSpec.DEFAULT_PIDS_LIMIT),
                "--timeout", Long.toString(request.timeout().toSeconds()));
        Path java = Path.of(request.target().hostCommand().get(0));
        return TestJvmWrapper.write(script, java, toolClasspath, VerifyTestJvm.class.getName(), arguments);
    }

    /** Empties a directory of a previous build's per-fork files, creating it when missing. */
    private static void clear(Path directory) {
        try {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        if (!file.equals(directory)) {
                            Files.delete(file);
                        }
                    }
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + directory + ": " + e.getMessage(), e);
        }
    }

    private LoadedPolicy readPolicy(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidPolicyException("the policy file does not exist; run sandbox:profile first, or point"
                    + " sandbox.policy at a policy, a Docker profile or a recording", Location.of(file), null);
        }
        LoadedPolicy loaded = PolicyFiles.read(file);
        loaded.warnings().forEach(console::warn);
        console.info("Policy " + file + " (" + loaded.format().toString().toLowerCase(Locale.ROOT) + " format)");
        return loaded;
    }

    /** Resolves {@code auto}, saying in one line which runtime runs and why. */
    private VerifyRuntime chooseRuntime(Request request) {
        if (request.runtime() == VerifyRuntime.AUTO) {
            EngineStatus engine = docker.probe(PROBE_TIMEOUT);
            if (!engine.available() && request.image().isPresent()) {
                throw new VerifyConfigurationException("sandbox.image", "an image needs Docker, and no engine answers: "
                        + engine.reason());
            }
            console.info(engine.autoChoice());
            return engine.available() ? VerifyRuntime.DOCKER : VerifyRuntime.NATIVE;
        }
        if (request.runtime() == VerifyRuntime.NATIVE && request.image().isPresent()) {
            throw new VerifyConfigurationException("sandbox.image", "an image only runs with sandbox.runtime=docker");
        }
        console.info("Runtime: " + request.runtime().id() + " (sandbox.runtime=" + request.runtime().id() + ")");
        return request.runtime();
    }

    // ---------------------------------------------------------------------------------------------- native

    private Attempt runNative(Request request, LoadedPolicy loaded, Path work, List<Path> written) {
        NativeSandbox sandbox = NativeSandbox.create(linux.get(), runner);
        Arch arch = sandbox.arch();
        Policy policy = loaded.policy();
        if (!policy.architectures().contains(arch)) {
            throw new InvalidPolicyException("the policy has no rules for " + arch.id() + ", the architecture of this"
                    + " machine; add it to \"architectures\"", Location.of(request.policy()), null);
        }
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(request.environment());
        List<String> command = request.target().hostCommand();
        if (Executables.resolve(command.get(0), environment.get("PATH"), request.workingDirectory()).isEmpty()) {
            throw new VerifyConfigurationException("sandbox.command", "command not found: " + command.get(0)
                    + (command.get(0).contains("/") ? "" : " (searched PATH=" + environment.get("PATH") + ")"));
        }
        Optional<Recording> recording = recording(request, loaded);
        FilesystemRules rules = filesystemRules(request, environment, recording, work, written);
        NativeSpec spec = new NativeSpec(command, request.workingDirectory(), environment, request.timeout(), policy,
                recording.map(r -> r.syscallCounts(arch)).orElse(new TreeMap<>()), Optional.of(rules),
                ContainerSpec.DEFAULT_PIDS_LIMIT, work, request.logFile());
        Set<String> noted = new LinkedHashSet<>();
        console.progress("Verifying " + String.join(" ", command) + " natively (" + request.mode().id() + " mode)");
        NativeRun run = request.mode() == VerifyMode.ENFORCE
                ? sandbox.enforce(spec, stdout(), stderr())
                : sandbox.complain(spec, stdout(), stderr());
        note(run.notes(), noted);
        written.add(work.resolve("seccomp-" + request.mode().id() + ".bpf"));
        Attempt attempt = attempt(run);
        // The kernel logs no file access Landlock refused (not without audit enabled), and an application may shrug
        // one off: so with filesystem rules in force every conclusive enforce run is checked by a complain run, whose
        // tracer sees each refused path.
        boolean blindToLandlock = sandbox.confinesFilesystem();
        if (request.mode() == VerifyMode.ENFORCE && (needsDiagnosis(attempt) || blindToLandlock)
                && !attempt.outcome().inconclusive()) {
            console.progress("Diagnosing: running the application again in complain mode, where every refused call"
                    + " is reported with its arguments and let through"
                    + (needsDiagnosis(attempt) ? "" : ", and every file access Landlock refuses is named"));
            NativeRun diagnosis = sandbox.complain(spec, stdout(), stderr());
            note(diagnosis.notes(), noted);
            written.add(work.resolve("seccomp-complain.bpf"));
            attempt = diagnosed(attempt, attempt(diagnosis));
        }
        return attempt;
    }

    private void note(List<String> notes, Set<String> noted) {
        notes.stream().filter(noted::add).forEach(console::warn);
    }

    private static Attempt attempt(NativeRun run) {
        return new Attempt(run.outcome(), run.exitCode(), run.detail(), run.elapsed(), run.violations(), false);
    }

    /**
     * The recording the filesystem rules and the filter's layout come from: the policy file itself when it is one,
     * otherwise the {@code recording*.json} files next to the policy, or else in the output directory.
     */
    private Optional<Recording> recording(Request request, LoadedPolicy loaded) {
        if (loaded.format() == FileFormat.RECORDING) {
            return Optional.of(PolicyFiles.readRecording(request.policy()));
        }
        for (Path directory : searchDirectories(request)) {
            List<Path> files = RecordingStore.in(directory);
            if (!files.isEmpty()) {
                Recording merged = null;
                for (Path file : files) {
                    Recording one = PolicyFiles.readRecording(file);
                    merged = merged == null ? one : merged.merge(one);
                }
                console.info("Recording " + String.join(", ", files.stream().map(Path::toString).toList()));
                return Optional.of(merged);
            }
        }
        return Optional.empty();
    }

    /**
     * The filesystem rules: a {@code filesystem.json} next to the policy (or in the output directory) as written,
     * or else those the recording supports, with what every JVM needs, or else those the command implies, with a
     * private {@code XDG_CACHE_HOME} put in {@code environment}; in every case plus the request's own paths.
     * The applied rules are written to {@code verify/filesystem.json}, a start for a hand-written file.
     */
    private FilesystemRules filesystemRules(Request request, Map<String, String> environment,
                                            Optional<Recording> recording, Path work, List<Path> written) {
        FilesystemRules rules = null;
        String source = null;
        for (Path directory : searchDirectories(request)) {
            Path file = directory.resolve(FilesystemRules.FILE_NAME);
            if (Files.isRegularFile(file)) {
                rules = FilesystemRules.read(file);
                source = file.toString();
                break;
            }
        }
        if (rules == null && recording.isPresent()) {
            SortedSet<Path> javaHomes = FilesystemRules.javaHomes(recording.get());
            if (request.target() instanceof RunTarget.JavaMain main) {
                javaHomes.add(main.javaHome());
            }
            rules = FilesystemRules.fromRecording(recording.get()).plus(FilesystemRules.runtimeNeeds(javaHomes));
            source = "the recording";
        }
        if (rules == null) {
            List<String> command = request.target().hostCommand();
            Path program = Executables.resolve(command.get(0), environment.get("PATH"), request.workingDirectory())
                    .orElseThrow();
            // Programs keep caches in the user's cache directory (JNA unpacks its library there); a private one
            // lets them work without letting the application write where other programs read.
            Path cache = work.resolve("cache");
            environment.put("XDG_CACHE_HOME", cache.toString());
            rules = FilesystemRules.forCommand(program, command.subList(1, command.size()),
                    request.workingDirectory(), !request.extraExecutables().isEmpty()).withReadWrite(List.of(cache));
            createDirectories(List.of(cache));
            source = "the command (no " + FilesystemRules.FILE_NAME + " and no recording next to " + request.policy()
                    + " or in " + request.outputDirectory() + "; only the outputs are writable)";
        }
        if (request.target() instanceof RunTarget.JavaMain main) {
            rules = rules.withRead(main.classpath()).withRead(List.of(main.javaHome()));
        }
        // A rule needs its directory to exist; the application would create an output directory only once it runs.
        createDirectories(request.outputs());
        rules = rules.withRead(request.inputs()).withReadWrite(request.outputs())
                .withExecute(extraExecutables(request.extraExecutables()));
        FilesystemRules applied = rules.forLandlock();
        Path file = work.resolve(FilesystemRules.FILE_NAME);
        applied.write(file);
        written.add(file);
        console.info("Filesystem rules from " + source + ": " + applied.read().size() + " read, "
                + applied.readWrite().size() + " read-write, " + applied.execute().size() + " execute paths ("
                + file + ")");
        return rules;
    }

    private static void createDirectories(List<Path> directories) {
        for (Path directory : directories) {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<Path> searchDirectories(Request request) {
        Path policyDirectory = request.policy().toAbsolutePath().getParent();
        return Stream.of(policyDirectory, request.outputDirectory()).distinct().toList();
    }

    private static List<Path> extraExecutables(List<String> programs) {
        List<Path> paths = new ArrayList<>();
        for (String program : programs) {
            try {
                paths.add(ProcessRunner.locate(program).toAbsolutePath());
            } catch (CommandNotFoundException e) {
                throw new VerifyConfigurationException("sandbox.extraExecutables", e.getMessage());
            }
        }
        return paths;
    }

    // ---------------------------------------------------------------------------------------------- docker

    private Attempt runDocker(Request request, Policy policy, Path work, List<Path> written, Path violationsFile) {
        if (request.outputs().size() > 1) {
            throw new VerifyConfigurationException("sandbox.outputs", "a container gets one writable directory, "
                    + request.outputs().size() + " are configured; write into one directory, or use"
                    + " sandbox.runtime=native");
        }
        if (request.image().isPresent() && request.target() instanceof RunTarget.JavaMain) {
            throw new VerifyConfigurationException("sandbox.image", "an image of your own runs a command: set"
                    + " sandbox.command to what runs in it (mainClass needs the image verify assembles)");
        }
        DockerVerifier verifier = DockerVerifier.create(docker, runner, cacheDirectory);
        for (Arch arch : policy.architectures()) {
            SortedSet<String> added = DockerPolicies.added(policy, arch);
            if (!added.isEmpty()) {
                console.info("Docker (" + arch.id() + "): also allowing " + String.join(", ", added) + ", which the"
                        + " container runtime calls before the application starts; a profile deployed with Docker"
                        + " needs them too");
            }
        }
        console.progress("Verifying " + String.join(" ", request.target().hostCommand()) + " in Docker ("
                + request.mode().id() + " mode)");
        // An engine that drops the profile's flags never logs errno answers, so an application that shrugs off a
        // refusal would pass unseen: there, every conclusive enforce run is checked by a complain run.
        boolean blindToErrno = !docker.probe(PROBE_TIMEOUT).passesSeccompFlags();
        Attempt attempt = dockerRun(request, policy, request.mode(), work, written, violationsFile, verifier);
        if (request.mode() == VerifyMode.ENFORCE && (needsDiagnosis(attempt) || blindToErrno)
                && !attempt.outcome().inconclusive() && attempt.violations().nothingRefused()) {
            console.progress("Diagnosing: running the application again in complain mode (this engine does not log"
                    + " calls the policy answers with an errno)");
            Attempt diagnosis = dockerRun(request, policy, VerifyMode.COMPLAIN, work, written, violationsFile,
                    verifier);
            attempt = diagnosed(attempt, diagnosis);
        }
        return attempt;
    }

    private Attempt dockerRun(Request request, Policy policy, VerifyMode mode, Path work, List<Path> written,
                              Path violationsFile, DockerVerifier verifier) {
        Path profile = work.resolve("seccomp-docker-" + mode.id() + ".json");
        Policy applied = mode == VerifyMode.ENFORCE ? DockerPolicies.enforcing(policy) : DockerPolicies.complaining(policy);
        try {
            AtomicFiles.write(profile, DockerProfile.write(applied));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + profile + ": " + e.getMessage(), e);
        }
        written.add(profile);
        boolean asRoot = mode == VerifyMode.COMPLAIN && buildRunsAsRoot();
        Path overlays = work.resolve("overlays-" + mode.id());
        ContainerWrites.discardOverlays(overlays);
        AtomicReference<ContainerSpec> ran = new AtomicReference<>();
        UnaryOperator<ContainerSpec> settings = spec -> {
            ContainerSpec configured = containerSettings(spec, request, profile, mode, asRoot, overlays);
            ContainerWrites.prepareOverlays(configured.inputs());
            ran.set(configured);
            return configured;
        };
        DockerVerification verification;
        if (request.image().isPresent()) {
            verification = verifier.verifyImage(request.image().get(), request.target().hostCommand(), settings,
                    violationsFile, stdout(), stderr());
        } else if (request.target() instanceof RunTarget.JavaMain main) {
            AppImageSpec image = AppImageSpec.java(main.javaHome(), main.classpath())
                    .withExtraExecutables(request.extraExecutables());
            verification = verifier.verifyJava(image, main.mainClass(), main.jvmArguments(), main.arguments(), settings,
                    violationsFile, stdout(), stderr());
        } else {
            List<String> command = request.target().hostCommand();
            List<String> programs = new ArrayList<>();
            programs.add(command.get(0));
            programs.addAll(request.extraExecutables());
            verification = verifier.verifyCommand(AppImageSpec.executablesOnly(programs), command, settings,
                    violationsFile, stdout(), stderr());
        }
        ContainerRun run = verification.run();
        List<String> limits = new ArrayList<>();
        if (run.outcome() == RunOutcome.PIDS_LIMIT || run.kernel().pidsLimitReached()) {
            limits.add("pids: the container's pids limit (" + ContainerSpec.DEFAULT_PIDS_LIMIT + " tasks, threads"
                    + " included) refused a fork or clone");
        }
        if (run.outcome() == RunOutcome.OUT_OF_MEMORY) {
            limits.add("memory: the container's memory limit (" + (ContainerSpec.DEFAULT_MEMORY_BYTES >> 20)
                    + " MiB) was exceeded and the kernel killed a process");
        }
        List<String> targets = new ArrayList<>();
        request.inputs().forEach(input -> targets.add(input.toString()));
        request.outputs().forEach(output -> targets.add(output.toString()));
        List<FilesystemViolation> files = new ArrayList<>(ContainerWrites.outsideMounts(run.changes(), targets,
                asRoot ? Set.of(ROOT_HOME) : Set.of()));
        if (ran.get() != null) {
            files.addAll(ContainerWrites.inOverlays(ran.get().inputs()));
        }
        ContainerWrites.discardOverlays(overlays);
        List<String> warnings = new ArrayList<>(verification.violations().warnings());
        if (mode == VerifyMode.COMPLAIN && !asRoot) {
            warnings.add("writes outside the output directory are listed only when the build runs as root (the"
                    + " complain run then writes as root to the container's throwaway root filesystem and to"
                    + " overlays of the inputs)");
        }
        Violations violations = Violations.of(verification.violations().violations(), files, limits, warnings);
        int exitCode = run.outcome() == RunOutcome.INFRASTRUCTURE_FAILURE ? -1 : run.exitCode();
        return new Attempt(run.outcome(), exitCode, run.detail(), run.elapsed(), violations, false);
    }

    private ContainerSpec containerSettings(ContainerSpec spec, Request request, Path profile, VerifyMode mode,
                                            boolean asRoot, Path overlays) {
        ContainerSpec result = spec.withSeccompProfile(profile).withTimeout(request.timeout())
                .withEnvironment(request.environment());
        result = result.withApplicationFiles(request.inputs(), request.outputs(), request.workingDirectory());
        if (request.target() instanceof RunTarget.JavaMain) {
            result = result.withExecutableTmp();
        }
        if (request.logFile().isPresent()) {
            result = result.withLogFile(request.logFile().get());
        }
        if (mode == VerifyMode.COMPLAIN) {
            // The complain run writes where enforce would be refused, so each such write can be listed: to a
            // throwaway root, and, as root, to the inputs through overlays that keep the real inputs untouched (the
            // kernel leaves root-owned directories in an overlay's scratch, which only root can clean up).
            result = result.withWritableRoot();
            if (asRoot) {
                result = result.withUser(new ContainerUser(0, 0)).withAddedCapabilities(List.of("DAC_OVERRIDE"))
                        .withInputsCopiedOnWrite(overlays);
            }
        }
        return result;
    }

    private static boolean buildRunsAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------- outcome

    private static boolean needsDiagnosis(Attempt attempt) {
        return !attempt.outcome().inconclusive()
                && (attempt.outcome() != RunOutcome.EXITED || attempt.exitCode() != 0
                || !attempt.violations().nothingRefused());
    }

    /**
     * The enforce run's ending with the complain run's lists, which are complete and carry arguments; the enforce
     * run's own findings stay when the complain run found nothing (a limit it did not reach, a kill it logged).
     */
    private static Attempt diagnosed(Attempt enforced, Attempt diagnosis) {
        if (diagnosis.outcome().inconclusive()) {
            return new Attempt(enforced.outcome(), enforced.exitCode(), enforced.detail(), enforced.elapsed(),
                    enforced.violations().withWarnings(List.of("the complain-mode re-run that names every violation"
                            + " could not run: " + diagnosis.detail())), false);
        }
        Violations found = diagnosis.violations().nothingRefused() ? enforced.violations()
                : new Violations(diagnosis.violations().violations(), diagnosis.violations().filesystem(),
                merged(enforced.violations().limits(), diagnosis.violations().limits()),
                merged(enforced.violations().warnings(), diagnosis.violations().warnings()));
        return new Attempt(enforced.outcome(), enforced.exitCode(), enforced.detail(), enforced.elapsed(), found,
                true);
    }

    private static List<String> merged(List<String> a, List<String> b) {
        return new ArrayList<>(new LinkedHashSet<>(Stream.concat(a.stream(), b.stream()).toList()));
    }

    private static VerifyOutcome outcome(Attempt attempt, Violations violations) {
        if (attempt.outcome().inconclusive()) {
            return VerifyOutcome.INFRASTRUCTURE_FAILED;
        }
        boolean stopped = attempt.outcome() == RunOutcome.KILLED_BY_SECCOMP || attempt.outcome() == RunOutcome.PIDS_LIMIT
                || attempt.outcome() == RunOutcome.OUT_OF_MEMORY;
        if (stopped || !violations.nothingRefused()) {
            return VerifyOutcome.VIOLATIONS;
        }
        return attempt.exitCode() == 0 ? VerifyOutcome.PASSED : VerifyOutcome.APPLICATION_FAILED;
    }

    private String message(VerifyOutcome outcome, VerifyRuntime runtime, Request request, Attempt attempt,
                           Violations violations, Path violationsFile) {
        String where = runtime.id() + ", " + request.mode().id() + " mode";
        String took = String.format(Locale.ROOT, "%.1f s", attempt.elapsed().toMillis() / 1000.0);
        return switch (outcome) {
            case PASSED -> "The application ran under the policy without violations (" + where + ", exit 0, " + took
                    + ")";
            case INFRASTRUCTURE_FAILED -> "verify could not run the application (" + where + "): " + attempt.detail();
            case APPLICATION_FAILED -> "The application failed on its own (" + where + ": " + attempt.detail()
                    + "), and no system call, file access or limit was refused"
                    + (attempt.diagnosed() ? ", not even when run again in complain mode" : "")
                    + "; see its output above" + (runtime == VerifyRuntime.DOCKER ? dockerHint(request) : "");
            case VIOLATIONS -> violationsMessage(where, request, attempt, violations, violationsFile);
        };
    }

    private static String violationsMessage(String where, Request request, Attempt attempt, Violations violations,
                                            Path violationsFile) {
        int count = violations.violations().size() + violations.filesystem().size() + violations.limits().size();
        StringBuilder message = new StringBuilder();
        if (request.mode() == VerifyMode.COMPLAIN) {
            message.append("The policy does not allow what the application did (").append(where)
                    .append(": each refused call was let through; ").append(attempt.detail()).append(")");
        } else {
            message.append("The sandbox stopped the application (").append(where).append(": ")
                    .append(attempt.detail()).append(")");
        }
        message.append(count == 0 ? "" : ". " + count + " violation" + (count == 1 ? "" : "s") + ":");
        for (String line : VerifyReport.lines(violations)) {
            message.append("\n  ").append(line);
        }
        if (count == 0) {
            message.append("; the call could not be named")
                    .append(violations.warnings().isEmpty() ? "" : ": " + String.join("; ", violations.warnings()));
        }
        message.append("\nThe same list, with every argument value, is in ").append(violationsFile);
        return message.toString();
    }

    private static String dockerHint(Request request) {
        String writable = request.outputs().isEmpty() ? "nothing but /tmp" : request.outputs().get(0) + " and /tmp";
        return ". In the container " + writable + " is writable, there is no network, and no program exists beyond"
                + " the Java runtime, the class path and sandbox.extraExecutables: a write elsewhere fails with"
                + " 'Read-only file system', a missing program with 'No such file or directory'. Refused calls are"
                + " read from the kernel log, which drops records beyond about 10 per 5 s machine-wide: if other"
                + " containers were busy, run verify again";
    }

    private Consumer<String> stdout() {
        return line -> console.info("[app] " + line);
    }

    private Consumer<String> stderr() {
        return line -> console.warn("[app] " + line);
    }
}
