package dev.sandboxed.sandbox;

import dev.sandboxed.process.CommandNotFoundException;
import dev.sandboxed.process.ProcessFailedException;
import dev.sandboxed.process.ProcessRunner;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The Docker half of {@code sandbox:verify}: finds the engine, gets an image (assembled from the build, or the
 * user's own), runs the application once in a hardened container under the compiled policy, and writes what the
 * kernel reported as a violations file. Failures of the machinery (no engine, no image) come back as an
 * {@link RunOutcome#INFRASTRUCTURE_FAILURE} run, so the caller decides whether that fails the build.
 */
public final class DockerVerifier {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final DockerCli docker;
    private final AppImageAssembler assembler;
    private final DockerSandbox sandbox;

    private DockerVerifier(DockerCli docker, AppImageAssembler assembler) {
        this.docker = docker;
        this.assembler = assembler;
        this.sandbox = DockerSandbox.create(docker);
    }

    /** @param cacheDirectory where runtimes made with jlink are kept between builds */
    public static DockerVerifier create(ProcessRunner runner, Path cacheDirectory) {
        return create(DockerCli.create(runner), runner, cacheDirectory);
    }

    /** Verifies with this engine (one at another address, say) instead of the one the CLI is configured for. */
    public static DockerVerifier create(DockerCli docker, ProcessRunner runner, Path cacheDirectory) {
        return new DockerVerifier(docker, AppImageAssembler.create(docker, runner, cacheDirectory));
    }

    /**
     * Verifies a Java application in an image assembled from the build.
     *
     * @param settings applies the policy, mounts and limits to the container spec
     * @param violationsFile where the report is written, unless the run was inconclusive
     */
    public DockerVerification verifyJava(AppImageSpec application, String mainClass, List<String> jvmOptions,
                                         List<String> arguments, UnaryOperator<ContainerSpec> settings,
                                         Path violationsFile, Consumer<String> stdout, Consumer<String> stderr) {
        Objects.requireNonNull(mainClass, "mainClass");
        return verifyAssembled(application, image -> image.javaCommand(jvmOptions, mainClass, arguments), settings,
                violationsFile, stdout, stderr);
    }

    /** Verifies a command in an image assembled from {@code application}: its executables, and Java if it has one. */
    public DockerVerification verifyCommand(AppImageSpec application, List<String> command,
                                            UnaryOperator<ContainerSpec> settings, Path violationsFile,
                                            Consumer<String> stdout, Consumer<String> stderr) {
        List<String> copy = List.copyOf(command);
        return verifyAssembled(application, image -> copy, settings, violationsFile, stdout, stderr);
    }

    private DockerVerification verifyAssembled(AppImageSpec application, Function<AppImage, List<String>> command,
                                               UnaryOperator<ContainerSpec> settings, Path violationsFile,
                                               Consumer<String> stdout, Consumer<String> stderr) {
        EngineStatus engine = docker.probe(PROBE_TIMEOUT);
        if (!engine.available()) {
            return unavailable(engine, engine.reason());
        }
        AppImage image;
        try {
            image = assembler.assemble(application);
        } catch (ImageAssemblyException | DockerException | UncheckedIOException | CommandNotFoundException
                 | ProcessFailedException e) {
            return unavailable(engine, "the image could not be assembled: " + e.getMessage());
        }
        ContainerSpec spec = settings.apply(ContainerSpec.of(image.tag(), command.apply(image)));
        return run(engine, Optional.of(image), spec, violationsFile, stdout, stderr);
    }

    /** Verifies a command in an image the user built and loaded; nothing is pulled, as no registry is assumed. */
    public DockerVerification verifyImage(String image, List<String> command, UnaryOperator<ContainerSpec> settings,
                                          Path violationsFile, Consumer<String> stdout, Consumer<String> stderr) {
        EngineStatus engine = docker.probe(PROBE_TIMEOUT);
        if (!engine.available()) {
            return unavailable(engine, engine.reason());
        }
        if (!docker.imageExists(image)) {
            return unavailable(engine, "the image " + image + " is not in the Docker engine; build it or load it"
                    + " with 'docker load' first (verify never pulls)");
        }
        return run(engine, Optional.empty(), settings.apply(ContainerSpec.of(image, command)), violationsFile, stdout,
                stderr);
    }

    private DockerVerification run(EngineStatus engine, Optional<AppImage> image, ContainerSpec spec,
                                   Path violationsFile, Consumer<String> stdout, Consumer<String> stderr) {
        try {
            sandbox.removeLeftovers();
        } catch (DockerException e) {
            return unavailable(engine, "cannot list earlier sandbox containers: " + e.getMessage());
        }
        ContainerRun run = sandbox.run(spec, stdout, stderr);
        Violations kernel = run.violations();
        List<String> warnings = new ArrayList<>(kernel.warnings());
        image.ifPresent(assembled -> warnings.addAll(assembled.warnings()));
        if (!engine.passesSeccompFlags()) {
            warnings.add("Docker " + engine.serverVersion() + " drops a profile's \"flags\", so calls the policy"
                    + " answers with an errno are not logged; only calls it logs (SCMP_ACT_LOG, complain mode) or"
                    + " kills are listed");
        }
        Violations violations = new Violations(kernel.violations(), warnings);
        if (!run.outcome().inconclusive()) {
            ViolationsJson.write(violations, violationsFile);
        }
        return new DockerVerification(engine, image, run, violations);
    }

    private static DockerVerification unavailable(EngineStatus engine, String reason) {
        ContainerRun run = ContainerRun.failed(reason, "", "", Duration.ZERO);
        return new DockerVerification(engine, Optional.empty(), run, new Violations(List.of(), List.of(reason)));
    }
}
