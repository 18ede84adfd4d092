package dev.sandboxed.maven;

import dev.sandboxed.goals.Console;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * What every goal shares: {@code sandbox.skip}, the output directory, and the adapter from Maven's log to the
 * core's {@link Console}. Subclasses only turn parameters into a call on the core and map its exceptions.
 */
abstract class SandboxMojo extends AbstractMojo {

    /** Skips the goal; it then logs one line and does nothing else. */
    @Parameter(property = "sandbox.skip", defaultValue = "false")
    private boolean skip;

    /** Where the goal writes its outputs (policies, programs, recordings, reports). */
    @Parameter(property = "sandbox.outputDirectory", defaultValue = "${project.build.directory}/sandbox", required = true)
    protected File outputDirectory;

    /** The project's directory, or the current directory when the goal runs without a project. */
    @Parameter(defaultValue = "${basedir}", readonly = true, required = true)
    protected File basedir;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("sandbox:" + goal() + " skipped (sandbox.skip=true)");
            return;
        }
        run();
    }

    /** The goal's name, for messages. */
    abstract String goal();

    abstract void run() throws MojoExecutionException, MojoFailureException;

    /** Maven names the stand-in project of a project-less run {@code standalone-pom}; that makes a poor name. */
    static String profileName(String artifactId) {
        return artifactId == null || artifactId.isBlank() || artifactId.equals("standalone-pom") ? "sandbox" : artifactId;
    }

    Console console() {
        return new Console() {
            @Override
            public void info(String line) {
                getLog().info(line);
            }

            @Override
            public void warn(String line) {
                getLog().warn(line);
            }
        };
    }
}
