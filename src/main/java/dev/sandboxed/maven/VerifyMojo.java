package dev.sandboxed.maven;

import dev.sandboxed.goals.RunTarget;
import dev.sandboxed.goals.VerifyConfigurationException;
import dev.sandboxed.goals.VerifyGoal;
import dev.sandboxed.goals.VerifyMode;
import dev.sandboxed.goals.VerifyOutcome;
import dev.sandboxed.goals.VerifyRuntime;
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

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the application again under the compiled policy and fails the build when the policy does not hold: each
 * refused system call is listed by name, program, count and arguments, with the exact policy line that would allow
 * it (also in {@code violations.json}). It runs in a hardened container when a Docker engine answers, otherwise on
 * this machine under no_new_privs, Landlock, a pids cgroup and the seccomp filter. Works without a project:
 * {@code mvn sandbox:verify -Dsandbox.command="..." -Dsandbox.policy=FILE}.
 *
 * <p>Without {@code command} or {@code mainClass} it instead prepares the project's forked test JVMs, as
 * {@code record} does: bound before the tests, it sets {@code testJvmProperty} to a {@code java} stand-in, to be used
 * as maven-surefire-plugin's or maven-failsafe-plugin's {@code <jvm>}, that runs each fork natively under the policy
 * in enforce mode. A refused call then fails the test that made it, and the fork's error output names the call.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class VerifyMojo extends ApplicationMojo {

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

    /** The build directory, where {@code sandbox:profile} leaves {@code sandbox/seccomp.json}. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true)
    private File buildDirectory;

    @Parameter(defaultValue = "${settings.localRepository}", readonly = true)
    private File localRepository;

    private static final String COMMITTED_POLICY = "src/main/sandbox/policy.json";

    @Override
    String goal() {
        return "verify";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        VerifyGoal goal = new VerifyGoal(console(), Linux::load, ProcessRunner.create(), cacheDirectory());
        VerifyGoal.Result result;
        try {
            // Without a project there are no test JVMs to prepare: target() then says what to configure.
            if (noApplication() && project() != null && project().getFile() != null) {
                prepareTestJvms(goal);
                return;
            }
            result = goal.run(request(target()));
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

    private void prepareTestJvms(VerifyGoal goal) throws MojoFailureException {
        List<Path> readable = new ArrayList<>(List.of(basedir.toPath()));
        if (localRepository != null) {
            readable.add(localRepository.toPath());
        }
        Path script = goal.prepareTestJvms(request(new RunTarget.CommandLine(List.of(javaExecutable().toString()))),
                outputDirectory.toPath().resolve("bin").resolve("java-sandboxed"), pluginClasspath(), readable);
        project().getProperties().setProperty(testJvmProperty(), script.toString());
        getLog().info("Forked test JVMs started through ${" + testJvmProperty() + "} (" + script + ") run under "
                + policyFile() + "; a refused call fails the test that made it");
    }

    private VerifyGoal.Request request(RunTarget target) throws MojoFailureException {
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
        return new VerifyGoal.Request(target, workingDirectory(), environment(), timeout(),
                policyFile(), chosenRuntime, chosenMode, failOnViolation,
                Optional.ofNullable(image).filter(name -> !name.isBlank()), extraExecutables(),
                outputDirectory.toPath(), inputs(), outputs(), logFile());
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
