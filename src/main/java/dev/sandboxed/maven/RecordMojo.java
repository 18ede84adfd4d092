package dev.sandboxed.maven;

import dev.sandboxed.goals.ApplicationFailedException;
import dev.sandboxed.goals.RecordGoal;
import dev.sandboxed.goals.RunTarget;
import dev.sandboxed.goals.TestJvmWrapper;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.UnsupportedArchitectureException;
import dev.sandboxed.record.CommandNotFoundException;
import dev.sandboxed.record.PtraceNotPermittedException;
import dev.sandboxed.record.RecordException;
import dev.sandboxed.record.TraceMain;
import dev.sandboxed.record.TracingMode;
import dev.sandboxed.sandbox.DockerRecordingException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Traces the application's integration run at the system-call level, following every process and thread it
 * starts, and writes {@code recording.json}. Without {@code command} or {@code mainClass}, it instead prepares
 * the project's forked test JVMs to be traced: it sets {@code testJvmProperty} to a {@code java} stand-in, to be
 * used as maven-surefire-plugin's or maven-failsafe-plugin's {@code <jvm>}, and each fork's recording is added to
 * {@code recording-tests.json}. Works without a project: {@code -Dsandbox.command="..." -Dsandbox.recording=FILE}.
 */
@Mojo(name = "record", defaultPhase = LifecyclePhase.INTEGRATION_TEST, requiresProject = false, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class RecordMojo extends ApplicationMojo {

    /** The recording file. */
    @Parameter(property = "sandbox.recording", defaultValue = "${project.build.directory}/sandbox/recording.json")
    private File recording;

    /** Adds this run to an existing recording instead of replacing it, so one recording covers several runs. */
    @Parameter(property = "sandbox.append", defaultValue = "false")
    private boolean append;

    /** Records a failing run without failing the build. */
    @Parameter(property = "sandbox.allowFailure", defaultValue = "false")
    private boolean allowFailure;

    /**
     * How the tracer stops at system calls: {@code seccomp} (one stop per call, through a {@code SECCOMP_RET_TRACE}
     * filter), {@code ptrace} (entry and exit stops, for kernels or containers where seccomp is unavailable) or
     * {@code ebpf} (programs on the syscall tracepoint count in the kernel, nothing stops: for root and CI; where
     * eBPF is not permitted it falls back to {@code seccomp} and says why in one line).
     */
    @Parameter(property = "sandbox.tracer", defaultValue = "seccomp")
    private String tracer;

    /**
     * Runs the tracer and the whole traced tree on one CPU (the ptrace tracers). On virtual machines a ptrace stop
     * that wakes the tracer on another, idle CPU costs ≈ 5× more than a context switch on one (see
     * {@code docs/performance.md}); a program whose threads need several CPUs at once runs slower pinned.
     */
    @Parameter(property = "sandbox.pin", defaultValue = "true")
    private boolean pin;

    /**
     * Where the run is recorded: {@code native} (on this machine), {@code docker} (inside the image
     * {@code sandbox:verify} assembles for the same {@code mainClass}, with the same mounts, so the profile is recorded
     * against that image's libc and JVM rather than the build machine's), or {@code auto} (Docker when an engine
     * answers and the application is a {@code mainClass}).
     */
    @Parameter(property = "sandbox.runtime", defaultValue = "native")
    private String runtime;

    @Override
    String goal() {
        return "record";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        TracingMode mode = tracingMode();
        if (noApplication()) {
            prepareTestJvms(mode);
            return;
        }
        try {
            new RecordGoal(console(), Linux.load()).run(new RecordGoal.Request(application(), recording.toPath(),
                    append, allowFailure, mode, pin, container()));
        } catch (CommandNotFoundException e) {
            throw new MojoFailureException("sandbox.command: " + e.getMessage(), e);
        } catch (ApplicationFailedException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (PtraceNotPermittedException | UnsupportedArchitectureException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (DockerRecordingException e) {
            throw new MojoExecutionException("sandbox.runtime=docker: " + e.getMessage(), e);
        } catch (RecordException | UncheckedIOException e) {
            throw new MojoExecutionException("recording failed: " + e.getMessage(), e);
        }
    }

    private Optional<RecordGoal.InContainer> container() throws MojoFailureException {
        String chosen = runtime.toLowerCase(Locale.ROOT);
        if (!List.of("native", "docker", "auto").contains(chosen)) {
            throw new MojoFailureException("sandbox.runtime: unknown runtime \"" + runtime + "\"; use native, docker or auto");
        }
        if (chosen.equals("native")) {
            return Optional.empty();
        }
        if (!(target() instanceof RunTarget.JavaMain main)) {
            if (chosen.equals("auto")) {
                getLog().info("Runtime: native (auto: a command is recorded on this machine; docker records a mainClass)");
                return Optional.empty();
            }
            throw new MojoFailureException("sandbox.runtime: docker records a Java application (mainClass) in the image"
                    + " verify assembles for it; record a command natively (sandbox.runtime=native)");
        }
        return Optional.of(new RecordGoal.InContainer(main, inputs(), outputs(), extraExecutables(), cacheDirectory(),
                pluginClasspath(), chosen.equals("auto")));
    }

    private TracingMode tracingMode() throws MojoFailureException {
        return switch (tracer.toLowerCase(Locale.ROOT)) {
            case "seccomp" -> TracingMode.SECCOMP;
            case "ptrace" -> TracingMode.SYSCALL;
            case "ebpf" -> TracingMode.EBPF;
            default -> throw new MojoFailureException("sandbox.tracer: unknown tracer \"" + tracer
                    + "\"; use seccomp, ptrace or ebpf");
        };
    }

    private void prepareTestJvms(TracingMode mode) {
        Path out = outputDirectory.toPath();
        List<String> options = new ArrayList<>(List.of("--output", out.resolve("recording-tests.json").toString(),
                "--append", "--mode", switch (mode) {
                    case SYSCALL -> "ptrace";
                    case EBPF -> "ebpf";
                    case SECCOMP -> "seccomp";
                }));
        if (pin) {
            options.add("--pin");
        }
        Path script = TestJvmWrapper.write(out.resolve("bin").resolve("java-traced"), javaExecutable(), pluginClasspath(),
                TraceMain.class.getName(), options);
        project().getProperties().setProperty(testJvmProperty(), script.toString());
        getLog().info("Forked test JVMs started through ${" + testJvmProperty() + "} (" + script + ") are recorded into "
                + out.resolve("recording-tests.json"));
    }
}
