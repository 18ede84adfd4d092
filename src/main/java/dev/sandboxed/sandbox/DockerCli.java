package dev.sandboxed.sandbox;

import dev.sandboxed.process.Command;
import dev.sandboxed.process.CommandNotFoundException;
import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.process.Termination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A Docker engine, driven through the {@code docker} CLI. The CLI rather than the engine's HTTP API because it
 * already knows how to reach the engine the user configured ({@code DOCKER_HOST}, contexts, TLS), which is the
 * engine the user expects us to use; every call goes through {@link ProcessRunner} so it is bounded by a timeout.
 */
public final class DockerCli {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final ProcessRunner runner;
    private final String executable;
    private final Duration timeout;
    private final Map<String, String> environment;

    private DockerCli(ProcessRunner runner, String executable, Duration timeout, Map<String, String> environment) {
        this.runner = runner;
        this.executable = executable;
        this.timeout = timeout;
        this.environment = environment;
    }

    /** The {@code docker} found on PATH; each command may take up to two minutes (an import of a large image). */
    public static DockerCli create(ProcessRunner runner) {
        return new DockerCli(Objects.requireNonNull(runner, "runner"), "docker", DEFAULT_TIMEOUT, Map.of());
    }

    public DockerCli withExecutable(String program) {
        return new DockerCli(runner, Objects.requireNonNull(program, "program"), timeout, environment);
    }

    /** Talks to the engine at this address ({@code DOCKER_HOST}) instead of the one the CLI is configured for. */
    public DockerCli withHost(String dockerHost) {
        return new DockerCli(runner, executable, timeout, Map.of("DOCKER_HOST",
                Objects.requireNonNull(dockerHost, "dockerHost")));
    }

    /**
     * Asks the engine for its version, giving up after {@code limit}: a daemon that hangs must not hang the build.
     * Never throws; an unusable engine is described in the status.
     */
    public EngineStatus probe(Duration limit) {
        ProcessResult result;
        try {
            result = runner.run(Command.of(executable, "version", "--format", "{{.Server.Version}}")
                    .withEnvironment(environment).withTimeout(limit).capturingStdout());
        } catch (CommandNotFoundException e) {
            return EngineStatus.unavailable("the docker CLI is not installed (" + e.getMessage() + ")");
        }
        if (result.termination() == Termination.TIMED_OUT) {
            return EngineStatus.unavailable("the Docker engine did not answer '" + result.command() + "' within "
                    + limit.toMillis() + " ms");
        }
        if (result.termination() == Termination.INTERRUPTED) {
            return EngineStatus.unavailable("interrupted while asking the Docker engine for its version");
        }
        String version = result.stdout().strip();
        if (!result.succeeded() || version.isEmpty()) {
            String why = result.stderrText().strip();
            return EngineStatus.unavailable("the Docker engine is not answering: "
                    + (why.isEmpty() ? "'" + result.command() + "' exited with " + result.exitCode() : why));
        }
        return EngineStatus.answering(version);
    }

    public boolean imageExists(String reference) {
        ProcessResult result = run(docker("image", "inspect", "--format", "{{.Id}}", reference));
        if (result.succeeded()) {
            return true;
        }
        if (result.termination() == Termination.EXITED && result.stderrText().contains("No such image")) {
            return false;
        }
        throw failure("cannot inspect image " + reference, result);
    }

    /** Removes an image by name; a missing one is not an error. */
    public void removeImage(String reference) {
        ProcessResult result = run(docker("image", "rm", "--force", reference));
        if (!result.succeeded() && !result.stderrText().contains("No such image")) {
            throw failure("cannot remove image " + reference, result);
        }
    }

    /** The image's size as the engine reports it: the uncompressed bytes of all its layers. */
    public long imageSize(String reference) {
        return Long.parseLong(output(docker("image", "inspect", "--format", "{{.Size}}", reference)));
    }

    /**
     * Creates a one-layer image from a root filesystem tar. {@code changes} are Dockerfile instructions applied to
     * the image's configuration ({@code USER 65534:65534}, {@code WORKDIR /app}, ...).
     *
     * @return the new image's id
     */
    public String importImage(Path tar, String tag, List<String> changes) {
        List<String> arguments = new ArrayList<>(List.of("import"));
        for (String change : changes) {
            arguments.add("--change");
            arguments.add(change);
        }
        arguments.add(tar.toAbsolutePath().toString());
        arguments.add(tag);
        return output(docker(arguments));
    }

    /**
     * Loads images from a {@code docker save} archive.
     *
     * @return the names or ids the engine reported loading
     */
    public List<String> loadImage(Path archive) {
        List<String> loaded = new ArrayList<>();
        for (String line : output(docker("load", "--input", archive.toAbsolutePath().toString())).split("\n")) {
            int colon = line.indexOf(": ");
            if (line.startsWith("Loaded image") && colon > 0) {
                loaded.add(line.substring(colon + 2).strip());
            }
        }
        return loaded;
    }

    /** @return the new container's full id */
    public String createContainer(List<String> options, String image, List<String> command) {
        List<String> arguments = new ArrayList<>();
        arguments.add("create");
        arguments.addAll(options);
        arguments.add(image);
        arguments.addAll(command);
        return output(docker(arguments));
    }

    /**
     * Starts a created container and streams its output until it stops or {@code limit} passes. On timeout only
     * the CLI is killed: the container keeps running until it is {@linkplain #removeContainer removed}.
     */
    public ProcessResult startAttached(String container, Duration limit, Consumer<String> stdout,
                                       Consumer<String> stderr, Optional<Path> logFile) {
        Command command = Command.of(executable, "start", "--attach", container).withEnvironment(environment)
                .withTimeout(limit).withStdout(stdout).withStderr(stderr);
        return runner.run(logFile.map(command::withLogFile).orElse(command));
    }

    public ContainerState inspectContainer(String container) {
        String[] fields = output(docker("inspect", "--type", "container", "--format",
                "{{.State.Status}}|{{.State.ExitCode}}|{{.State.OOMKilled}}|{{.State.Error}}", container))
                .split("\\|", 4);
        if (fields.length != 4) {
            throw new DockerException("unexpected answer from docker inspect for " + container + ": "
                    + String.join("|", fields));
        }
        return new ContainerState(fields[0], Integer.parseInt(fields[1]), Boolean.parseBoolean(fields[2]),
                fields[3].strip());
    }

    /** What the container changed in its root filesystem ({@code docker diff}), in the engine's order. */
    public List<ContainerChange> changes(String container) {
        List<ContainerChange> changes = new ArrayList<>();
        for (String line : output(docker("diff", container)).split("\n")) {
            ContainerChange.parse(line).ifPresent(changes::add);
        }
        return changes;
    }

    /** Stops (with SIGKILL) and removes the container with its anonymous volumes; a missing one is not an error. */
    public void removeContainer(String container) {
        ProcessResult result = run(docker("rm", "--force", "--volumes", container));
        if (!result.succeeded() && !result.stderrText().contains("No such container")) {
            throw failure("cannot remove container " + container, result);
        }
    }

    /**
     * Containers (running or not) that carry {@code label}, each with the values of the requested labels.
     *
     * @return container id → (label → value, empty when the container lacks it)
     */
    public Map<String, Map<String, String>> containersLabelled(String label, List<String> labelsToRead) {
        StringBuilder format = new StringBuilder("{{.ID}}");
        for (String key : labelsToRead) {
            format.append("\t{{.Label \"").append(key).append("\"}}");
        }
        String listing = output(docker("ps", "--all", "--no-trunc", "--filter", "label=" + label,
                "--format", format.toString()));
        Map<String, Map<String, String>> containers = new TreeMap<>();
        for (String line : listing.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            Map<String, String> values = new TreeMap<>();
            for (int i = 0; i < labelsToRead.size(); i++) {
                values.put(labelsToRead.get(i), i + 1 < fields.length ? fields[i + 1] : "");
            }
            containers.put(fields[0], values);
        }
        return containers;
    }

    private Command docker(String... arguments) {
        return docker(List.of(arguments));
    }

    private Command docker(List<String> arguments) {
        List<String> all = new ArrayList<>();
        all.add(executable);
        all.addAll(arguments);
        return Command.of(all).withEnvironment(environment).withTimeout(timeout).capturingStdout();
    }

    private ProcessResult run(Command command) {
        try {
            return runner.run(command);
        } catch (CommandNotFoundException e) {
            throw new DockerException("the docker CLI is not installed (" + e.getMessage() + ")", e);
        }
    }

    private String output(Command command) {
        ProcessResult result = run(command);
        if (!result.succeeded()) {
            throw failure("docker failed", result);
        }
        return result.stdout().strip();
    }

    private static DockerException failure(String what, ProcessResult result) {
        String how = switch (result.termination()) {
            case EXITED -> "exit code " + result.exitCode();
            case TIMED_OUT -> "timed out after " + result.elapsed().toSeconds() + " s";
            case INTERRUPTED -> "interrupted";
        };
        String stderr = result.stderrText().strip();
        return new DockerException(what + ": '" + result.command() + "' (" + how + ")"
                + (stderr.isEmpty() ? "" : ": " + stderr));
    }
}
