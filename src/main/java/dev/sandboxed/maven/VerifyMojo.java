package dev.sandboxed.maven;

import dev.sandboxed.goals.VerifyConfigurationException;
import dev.sandboxed.goals.VerifyGoal;
import dev.sandboxed.goals.VerifyMode;
import dev.sandboxed.goals.VerifyOutcome;
import dev.sandboxed.goals.VerifyRuntime;
import dev.sandboxed.goals.VerifyTarget;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.UnsupportedArchitectureException;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.process.ProcessRunner;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.codehaus.plexus.util.cli.CommandLineUtils;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the application again under the compiled policy and fails the build when the policy does not hold: each
 * refused system call is listed by name, program, count and arguments, with the exact policy line that would allow
 * it (also in {@code violations.json}). It runs in a hardened container when a Docker engine answers, otherwise on
 * this machine under no_new_privs, Landlock, a pids cgroup and the seccomp filter. Works without a project:
 * {@code mvn sandbox:verify -Dsandbox.command="..." -Dsandbox.policy=FILE}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class VerifyMojo extends SandboxMojo {

    /**
     * The command line to run, split into words the way a shell splits them (quotes group words). Takes precedence
     * over {@code mainClass}. Use the command {@code sandbox:record} recorded, so the policy is checked against it.
     * In Docker a command runs in an image holding only that program, its libraries and {@code extraExecutables}
     * (or in {@code image}); run a Java application there with {@code mainClass}.
     */
    @Parameter(property = "sandbox.command")
    private String command;

    /** A Java main class on the project's runtime classpath, run with the build's JDK (in Docker, with an image of it). */
    @Parameter(property = "sandbox.mainClass")
    private String mainClass;

    /** Arguments for {@code mainClass}. */
    @Parameter(property = "sandbox.arguments")
    private List<String> arguments = List.of();

    /** Options for the JVM that runs {@code mainClass}, such as {@code -Xmx256m}. */
    @Parameter(property = "sandbox.jvmArguments")
    private List<String> jvmArguments = List.of();

    /** The run's working directory (in a container, only when it lies in an input or output). */
    @Parameter(property = "sandbox.workingDirectory", defaultValue = "${basedir}")
    private File workingDirectory;

    /** Environment variables added to the build's environment for the run; a container gets only these. */
    @Parameter
    private Map<String, String> environment = Map.of();

    /** Seconds one run may take before its whole process tree (or container) is killed. */
    @Parameter(property = "sandbox.timeout", defaultValue = "600")
    private int timeout;

    /** A file that also receives the run's output. */
    @Parameter(property = "sandbox.logFile")
    private File logFile;

    /**
     * The policy to verify: this plugin's policy, a Docker profile or a recording (the format is detected). By
     * default the {@code seccomp.json} that {@code sandbox:profile} wrote to the output directory, or else the
     * committed {@code src/main/sandbox/policy.json}. Filesystem rules are taken from a {@code filesystem.json} next
     * to it (or in the output directory), or else derived from the recordings there.
     */
    @Parameter(property = "sandbox.policy")
    private File policy;

    /**
     * Where the application runs: {@code docker} (a hardened container), {@code native} (this machine, for hosts
     * without a container engine) or {@code auto} (Docker when an engine answers).
     */
    @Parameter(property = "sandbox.runtime", defaultValue = "auto")
    private String runtime;

    /**
     * {@code enforce}: a refused call gets the policy's action, as in production. {@code complain}: every refused
     * call is reported and let through, so one run lists every violation; only for code you would run unconfined.
     * An enforce run that fails is diagnosed with a complain run either way.
     */
    @Parameter(property = "sandbox.mode", defaultValue = "enforce")
    private String mode;

    /** Fails the build on violations; when false they are only logged. An application that fails always fails it. */
    @Parameter(property = "sandbox.failOnViolation", defaultValue = "true")
    private boolean failOnViolation;

    /**
     * An image of your own (already loaded: verify never pulls) to run {@code command} in, instead of the image
     * verify assembles from the build's JDK, the classpath and {@code extraExecutables}.
     */
    @Parameter(property = "sandbox.image")
    private String image;

    /**
     * Programs the application starts besides itself ({@code gzip}, {@code /bin/sh}), by name or path: copied with
     * their libraries into an assembled image, and allowed to execute by the native runtime.
     */
    @Parameter(property = "sandbox.extraExecutables")
    private List<String> extraExecutables = List.of();

    /** Files and directories the application reads: mounted read-only in a container, readable natively. */
    @Parameter(property = "sandbox.inputs")
    private List<File> inputs = List.of();

    /** Directories the application writes: mounted writable in a container (one at most), writable natively. */
    @Parameter(property = "sandbox.outputs")
    private List<File> outputs = List.of();

    /** Where Java runtimes made for images are kept between builds, so a repeated verify reuses its image. */
    @Parameter(property = "sandbox.cacheDirectory", defaultValue = "${user.home}/.cache/sandbox-maven-plugin")
    private File cacheDirectory;

    /** The runtime classpath {@code mainClass} runs on. */
    @Parameter(defaultValue = "${project.runtimeClasspathElements}", readonly = true)
    private List<String> runtimeClasspath = List.of();

    /** The build directory, where {@code sandbox:profile} leaves {@code sandbox/seccomp.json}. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true)
    private File buildDirectory;

    private static final String COMMITTED_POLICY = "src/main/sandbox/policy.json";

    @Override
    String goal() {
        return "verify";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        VerifyGoal.Request request = request();
        VerifyGoal.Result result;
        try {
            result = new VerifyGoal(console(), Linux::load, ProcessRunner.create(), cacheDirectory.toPath())
                    .run(request);
        } catch (InvalidPolicyException e) {
            throw new MojoFailureException("sandbox.policy: " + e.getMessage(), e);
        } catch (VerifyConfigurationException e) {
            throw new MojoFailureException(e.parameter() + ": " + e.getMessage(), e);
        } catch (UnsupportedArchitectureException e) {
            throw new MojoExecutionException("sandbox.runtime=native: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        if (result.outcome() == VerifyOutcome.INFRASTRUCTURE_FAILED) {
            throw new MojoExecutionException(result.message());
        }
        if (result.failsBuild()) {
            throw new MojoFailureException(result.message());
        }
        if (result.outcome() == VerifyOutcome.VIOLATIONS) {
            result.message().lines().forEach(getLog()::warn);
        } else {
            getLog().info(result.message());
        }
    }

    private VerifyGoal.Request request() throws MojoFailureException {
        if (timeout <= 0) {
            throw new MojoFailureException("sandbox.timeout: must be a positive number of seconds, got " + timeout);
        }
        VerifyRuntime chosenRuntime;
        VerifyMode chosenMode;
        try {
            chosenRuntime = VerifyRuntime.parse(runtime);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("sandbox.runtime: " + e.getMessage(), e);
        }
        try {
            chosenMode = VerifyMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("sandbox.mode: " + e.getMessage(), e);
        }
        return new VerifyGoal.Request(target(), workingDirectory.toPath(), environment, Duration.ofSeconds(timeout),
                policyFile(), chosenRuntime, chosenMode, failOnViolation,
                Optional.ofNullable(image).filter(name -> !name.isBlank()), extraExecutables,
                outputDirectory.toPath(), inputs.stream().map(File::toPath).toList(),
                outputs.stream().map(File::toPath).toList(), Optional.ofNullable(logFile).map(File::toPath));
    }

    private VerifyTarget target() throws MojoFailureException {
        if (command != null && !command.isBlank()) {
            try {
                return new VerifyTarget.CommandLine(List.of(CommandLineUtils.translateCommandline(command)));
            } catch (Exception e) {
                throw new MojoFailureException("sandbox.command: cannot split \"" + command + "\" into words: "
                        + e.getMessage() + "; check its quotes");
            }
        }
        if (mainClass == null || mainClass.isBlank()) {
            throw new MojoFailureException("sandbox.command: no application to run; set <command> (or"
                    + " -Dsandbox.command) or <mainClass> in the plugin's configuration");
        }
        return new VerifyTarget.JavaMain(Path.of(System.getProperty("java.home")), jvmArguments,
                runtimeClasspath.stream().map(Path::of).toList(), mainClass, arguments);
    }

    /** The configured policy, else {@code seccomp.json} from {@code sandbox:profile}, else the committed policy. */
    private Path policyFile() {
        if (policy != null) {
            return policy.toPath();
        }
        Path compiled = outputDirectory.toPath().resolve("seccomp.json");
        if (Files.isRegularFile(compiled)) {
            return compiled;
        }
        Path build = buildDirectory == null ? null : buildDirectory.toPath().resolve("sandbox").resolve("seccomp.json");
        if (build != null && Files.isRegularFile(build)) {
            return build;
        }
        return basedir.toPath().resolve(COMMITTED_POLICY);
    }
}
