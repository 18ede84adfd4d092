package dev.sandboxed.sandbox;

import dev.sandboxed.json.AtomicFiles;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.RecordingFormat;
import dev.sandboxed.process.CommandNotFoundException;
import dev.sandboxed.process.ProcessFailedException;
import dev.sandboxed.process.ProcessRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Records a Java application inside the very image {@code verify} runs it in, so the profile covers that image's
 * libc and JVM rather than the build machine's (a profile recorded on the host and enforced in a container is the
 * classic way to break both: moby#22252, slim#87). The image is the one {@link DockerVerifier} assembles, unchanged:
 * the tracer is not added to it but mounted beside it, read-only, with a Java runtime of its own made from the same
 * JDK (so the image's libraries serve it too). The tracer then starts the application exactly as the container would.
 *
 * <p>The container runs with a seccomp profile that allows everything: under the engine's default profile a call it
 * answers with an errno ({@code clone3} gets ENOSYS from Docker 20.10) never reaches the tracer, and the recording
 * would miss what the application asked for. The rest of a verify run's hardening stays. What the container runtime itself calls after installing a filter, before the
 * application's first instruction, is not seen by a tracer inside; {@code profile} adds those calls for Docker
 * ({@link DockerPolicies#added}).
 */
public final class DockerRecorder {

    /** Where the tracer's pieces appear in the container. */
    static final String TRACER_HOME = "/sandbox-tracer";
    static final String RECORDING_DIRECTORY = TRACER_HOME + "/recording";
    private static final String RECORDING_FILE = "recording.json";
    /** What the tracer needs of the JDK: JNA logs through java.logging and reaches into jdk.unsupported. */
    private static final SortedSet<String> TRACER_MODULES = new TreeSet<>(List.of("java.base", "java.logging",
            "jdk.unsupported"));
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final DockerCli docker;
    private final AppImageAssembler assembler;
    private final JavaRuntimes runtimes;
    private final DockerSandbox sandbox;

    private DockerRecorder(DockerCli docker, AppImageAssembler assembler, JavaRuntimes runtimes) {
        this.docker = docker;
        this.assembler = assembler;
        this.runtimes = runtimes;
        this.sandbox = DockerSandbox.create(docker);
    }

    /** @param cacheDirectory where runtimes made with jlink are kept between builds, shared with verify */
    public static DockerRecorder create(DockerCli docker, ProcessRunner runner,
                                        Path cacheDirectory) {
        Objects.requireNonNull(docker, "docker");
        return new DockerRecorder(docker, AppImageAssembler.create(docker, runner, cacheDirectory),
                JavaRuntimes.in(cacheDirectory, runner));
    }

    /**
     * What the tracer is made of: the classpath holding {@code mainClass} (this plugin, JNA, Jackson), whose main
     * takes {@code --output FILE [--mode M] -- command...}.
     */
    public record TracerLaunch(List<Path> classpath, String mainClass, List<String> options) {

        public TracerLaunch {
            classpath = List.copyOf(Objects.requireNonNull(classpath, "classpath"));
            Objects.requireNonNull(mainClass, "mainClass");
            options = List.copyOf(Objects.requireNonNull(options, "options"));
            if (classpath.isEmpty()) {
                throw new IllegalArgumentException("the tracer needs a classpath");
            }
        }
    }

    /**
     * A run recorded in a container: the run itself, and the recording when the tracer wrote one.
     *
     * @param image the image the application ran in, the one verify uses for the same application
     */
    public record ContainerRecording(ContainerRun run, String image, Optional<Recording> recording,
                                     List<String> warnings) {

        public ContainerRecording {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(recording, "recording");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Records {@code mainClass} of {@code application} in its assembled image.
     *
     * @param work a directory of the build's for the recording the container writes
     * @param settings applies the application's mounts, environment and limits to the container spec
     * @throws DockerRecordingException when no engine answers, the image cannot be made, or the tracer fails
     */
    public ContainerRecording recordJava(AppImageSpec application, String mainClass, List<String> jvmOptions,
                                         List<String> arguments, TracerLaunch tracer, Path work,
                                         UnaryOperator<ContainerSpec> settings, Consumer<String> stdout,
                                         Consumer<String> stderr) {
        Objects.requireNonNull(mainClass, "mainClass");
        Path javaHome = application.javaHome().orElseThrow(() ->
                new IllegalArgumentException("recording in a container needs an image with Java"));
        EngineStatus engine = docker.probe(PROBE_TIMEOUT);
        if (!engine.available()) {
            throw new DockerRecordingException("no Docker engine answers: " + engine.reason());
        }
        AppImage image;
        Path tracerRuntime;
        try {
            image = assembler.assemble(application);
            tracerRuntime = runtimes.runtime(javaHome, TRACER_MODULES);
        } catch (ImageAssemblyException | DockerException | UncheckedIOException | CommandNotFoundException
                 | ProcessFailedException e) {
            throw new DockerRecordingException("the image could not be assembled: " + e.getMessage(), e);
        }
        Path recordingDirectory = prepare(work);
        List<String> classpath = new ArrayList<>();
        List<Mount> tracerFiles = new ArrayList<>(List.of(Mount.readOnly(tracerRuntime, TRACER_HOME + "/java")));
        for (int i = 0; i < tracer.classpath().size(); i++) {
            Path entry = tracer.classpath().get(i);
            String target = TRACER_HOME + "/lib/" + i + "-" + entry.getFileName();
            classpath.add(target);
            tracerFiles.add(Mount.readOnly(entry, target));
        }
        List<String> command = new ArrayList<>(List.of(TRACER_HOME + "/java/bin/java", "-Djna.tmpdir=/tmp",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", String.join(":", classpath), tracer.mainClass(),
                "--output", RECORDING_DIRECTORY + "/" + RECORDING_FILE));
        command.addAll(tracer.options());
        command.add("--");
        command.addAll(image.javaCommand(jvmOptions, mainClass, arguments));
        ContainerSpec spec = ContainerSpec.of(image.tag(), command);
        for (Mount mount : tracerFiles) {
            spec = spec.withInput(mount.source(), mount.target());
        }
        ContainerSpec configured = settings.apply(spec).withOutput(recordingDirectory, RECORDING_DIRECTORY)
                .withExecutableTmp().withSeccompProfile(allowEverything(recordingDirectory));
        ContainerRun run = sandbox.run(configured, stdout, stderr);
        Path file = recordingDirectory.resolve(RECORDING_FILE);
        Optional<Recording> recording = Files.isRegularFile(file) ? Optional.of(RecordingFormat.read(file))
                : Optional.empty();
        return new ContainerRecording(run, image.tag(), recording, image.warnings());
    }

    /** A Docker profile allowing every call, so the tracer sees each one the application makes. */
    private static Path allowEverything(Path directory) {
        Path profile = directory.resolve("seccomp-record.json");
        try {
            AtomicFiles.write(profile, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n");
            return profile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + profile + ": " + e.getMessage(), e);
        }
    }

    /** An empty directory for this run's recording; an earlier run's file must not pass for this one's. */
    private static Path prepare(Path work) {
        Path directory = work.resolve("container-recording");
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(directory.resolve(RECORDING_FILE));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory + ": " + e.getMessage(), e);
        }
    }
}
