package dev.sandboxed.maven;

import dev.sandboxed.goals.Application;
import dev.sandboxed.goals.RunTarget;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.cli.CommandLineUtils;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters that describe the integration run, shared by {@code record} and {@code verify} so both run
 * exactly the same thing: either {@code command}, or {@code mainClass} on the project's runtime classpath.
 */
abstract class ApplicationMojo extends SandboxMojo {

    /**
     * The command line to run, split into words the way a shell splits them (quotes group words). Takes precedence
     * over {@code mainClass}. In Docker, {@code verify} runs a command in an image holding only that program, its
     * libraries and {@code extraExecutables} (or in {@code image}); run a Java application there with
     * {@code mainClass}.
     */
    @Parameter(property = "sandbox.command")
    private String command;

    /** A Java main class on the project's runtime classpath, run with the build's JDK. */
    @Parameter(property = "sandbox.mainClass")
    private String mainClass;

    /** Arguments for {@code mainClass}. */
    @Parameter(property = "sandbox.arguments")
    private List<String> arguments = List.of();

    /** Options for the JVM that runs {@code mainClass}, such as {@code -Xmx256m}. */
    @Parameter(property = "sandbox.jvmArguments")
    private List<String> jvmArguments = List.of();

    /** The run's working directory. */
    @Parameter(property = "sandbox.workingDirectory", defaultValue = "${basedir}")
    private File workingDirectory;

    /** Environment variables added to the build's environment for the run. */
    @Parameter
    private Map<String, String> environment = Map.of();

    /** Seconds the run may take before its whole process tree is killed. */
    @Parameter(property = "sandbox.timeout", defaultValue = "600")
    private int timeout;

    /** A file that also receives the run's output. */
    @Parameter(property = "sandbox.logFile")
    private File logFile;

    /** The runtime classpath {@code mainClass} runs on. */
    @Parameter(defaultValue = "${project.runtimeClasspathElements}", readonly = true)
    private List<String> runtimeClasspath = List.of();

    /**
     * Programs the application starts besides itself ({@code gzip}, {@code /bin/sh}), by name or path: copied with
     * their libraries into an assembled image, and allowed to execute by the native runtime.
     */
    @Parameter(property = "sandbox.extraExecutables")
    private List<String> extraExecutables = List.of();

    /** Files and directories the application reads: mounted read-only in a container, readable natively. */
    @Parameter(property = "sandbox.inputs")
    private List<File> inputs = List.of();

    /** Directories the application writes: mounted writable in a container, writable natively. */
    @Parameter(property = "sandbox.outputs")
    private List<File> outputs = List.of();

    /** Where Java runtimes made for images are kept between builds, so a repeated verify reuses its image. */
    @Parameter(property = "sandbox.cacheDirectory", defaultValue = "${user.home}/.cache/sandbox-maven-plugin")
    private File cacheDirectory;

    /**
     * With no {@code command} or {@code mainClass}: the property set to the {@code java} stand-in that runs each
     * forked test JVM under this goal (traced by {@code record}, sandboxed by {@code verify}), for
     * maven-surefire-plugin's and maven-failsafe-plugin's {@code <jvm>}.
     */
    @Parameter(property = "sandbox.testJvmProperty", defaultValue = "sandbox.jvm")
    private String testJvmProperty;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true)
    private PluginDescriptor plugin;

    String testJvmProperty() {
        return testJvmProperty;
    }

    /** The project, or null when the goal runs without one. */
    MavenProject project() {
        return project;
    }

    /** This plugin's own classpath, for the tools that run beside the application (tracer, test JVM stand-ins). */
    List<Path> pluginClasspath() {
        return plugin.getArtifacts().stream().map(Artifact::getFile).map(File::toPath).toList();
    }

    List<String> extraExecutables() {
        return List.copyOf(extraExecutables);
    }

    List<Path> inputs() {
        return inputs.stream().map(File::toPath).toList();
    }

    List<Path> outputs() {
        return outputs.stream().map(File::toPath).toList();
    }

    Path cacheDirectory() {
        return cacheDirectory.toPath();
    }

    /** True when neither {@code command} nor {@code mainClass} is set. */
    boolean noApplication() {
        return (command == null || command.isBlank()) && (mainClass == null || mainClass.isBlank());
    }

    Application application() throws MojoFailureException {
        return new Application(target().hostCommand(), workingDirectory(), environment, timeout(), logFile());
    }

    /** The run as {@code verify} needs it: a Java main stays a main, so a container can run it on its own runtime. */
    RunTarget target() throws MojoFailureException {
        if (command != null && !command.isBlank()) {
            try {
                return new RunTarget.CommandLine(List.of(CommandLineUtils.translateCommandline(command)));
            } catch (Exception e) {
                throw new MojoFailureException("sandbox.command: cannot split \"" + command + "\" into words: "
                        + e.getMessage() + "; check its quotes");
            }
        }
        if (mainClass == null || mainClass.isBlank()) {
            throw new MojoFailureException("sandbox.command: no application to run; set <command> (or -Dsandbox.command) "
                    + "or <mainClass> in the plugin's configuration");
        }
        // Maven lists the output directories even when a module has no sources and so never created them.
        return new RunTarget.JavaMain(Path.of(System.getProperty("java.home")), jvmArguments,
                runtimeClasspath.stream().map(Path::of).filter(Files::exists).toList(), mainClass, arguments);
    }

    Path workingDirectory() {
        return workingDirectory.toPath().toAbsolutePath();
    }

    Map<String, String> environment() {
        return environment;
    }

    Duration timeout() throws MojoFailureException {
        if (timeout <= 0) {
            throw new MojoFailureException("sandbox.timeout: must be a positive number of seconds, got " + timeout);
        }
        return Duration.ofSeconds(timeout);
    }

    Optional<Path> logFile() {
        return Optional.ofNullable(logFile).map(File::toPath);
    }

    /** The {@code java} of the JDK running this build. */
    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
