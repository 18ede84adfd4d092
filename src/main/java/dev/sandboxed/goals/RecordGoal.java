package dev.sandboxed.goals;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.record.OutputLines;
import dev.sandboxed.record.PtraceRecorder;
import dev.sandboxed.record.RecordException;
import dev.sandboxed.record.RecordOptions;
import dev.sandboxed.record.RecordingSession;
import dev.sandboxed.record.RecordingStore;
import dev.sandboxed.record.TraceMain;
import dev.sandboxed.record.TracingMode;
import dev.sandboxed.sandbox.AppImageSpec;
import dev.sandboxed.sandbox.ContainerSpec;
import dev.sandboxed.sandbox.DockerCli;
import dev.sandboxed.sandbox.DockerRecorder.ContainerRecording;
import dev.sandboxed.sandbox.DockerRecorder.TracerLaunch;
import dev.sandboxed.sandbox.EngineStatus;
import dev.sandboxed.sandbox.DockerRecorder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sandbox:record}: runs the application under the system-call tracer and adds the run to the recording
 * file. The recording is written even when the run fails, marked as it ended, because a partial recording that
 * says so is useful and one that pretends to be complete is not.
 */
public final class RecordGoal {

    /**
     * @param application what to run
     * @param recording the recording file
     * @param append merge the run into an existing recording instead of replacing it
     * @param allowFailure a failing run does not fail the goal
     * @param mode how the tracer stops at syscalls
     * @param pinToOneCpu run the tracer and the traced tree on one CPU (ptrace modes): a stop then costs a context
     *     switch instead of waking an idle CPU, ≈ 5× cheaper on virtual machines
     * @param container record inside the image {@code verify} uses, instead of on this machine
     */
    public record Request(Application application, Path recording, boolean append, boolean allowFailure,
                          TracingMode mode, boolean pinToOneCpu, Optional<InContainer> container) {

        public Request {
            Objects.requireNonNull(application, "application");
            Objects.requireNonNull(recording, "recording");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(container, "container");
        }
    }

    /**
     * How to record in a container: the same image, mounts and environment as {@code verify} with
     * {@code sandbox.runtime=docker}, so the profile is recorded against that image's libc and JVM.
     *
     * @param target the Java application (a command has no image of its own to be recorded in)
     * @param tracerClasspath this plugin's classpath, mounted into the container to run the tracer
     * @param onlyIfEngine {@code sandbox.runtime=auto}: record on this machine when no engine answers
     */
    public record InContainer(RunTarget.JavaMain target, List<Path> inputs, List<Path> outputs,
                              List<String> extraExecutables, Path cacheDirectory, List<Path> tracerClasspath,
                              boolean onlyIfEngine) {

        public InContainer {
            Objects.requireNonNull(target, "target");
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            extraExecutables = List.copyOf(extraExecutables);
            Objects.requireNonNull(cacheDirectory, "cacheDirectory");
            tracerClasspath = List.copyOf(tracerClasspath);
        }
    }

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final Console console;
    private final Linux linux;
    private final ProcessRunner runner;

    public RecordGoal(Console console, Linux linux) {
        this(console, linux, ProcessRunner.create());
    }

    public RecordGoal(Console console, Linux linux, ProcessRunner runner) {
        this.console = Objects.requireNonNull(console, "console");
        this.linux = Objects.requireNonNull(linux, "linux");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    public Recording run(Request request) {
        Application app = request.application();
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(app.environment());
        RecordOptions.Builder options = RecordOptions.builder()
                .mode(request.mode())
                .pinToOneCpu(request.pinToOneCpu())
                .timeout(app.timeout())
                .workingDirectory(app.workingDirectory())
                .environment(environment)
                .output(prefixed(console));
        app.logFile().ifPresent(options::outputFile);
        Recording recording;
        if (request.container().isPresent() && engineFor(request.container().get())) {
            recording = recordInContainer(request, request.container().get());
        } else {
            console.progress("Recording " + app.commandLine() + " (" + request.mode().toString().toLowerCase(Locale.ROOT)
                    + " tracing)");
            RecordingSession session = new PtraceRecorder(linux).start(app.command(), options.build());
            session.notice().ifPresent(console::warn);
            recording = session.await();
        }
        RecordingStore.write(request.recording(), recording, request.append());
        summarize(recording, request.recording());
        Run run = recording.runs().get(0);
        if (run.interrupted()) {
            throw new ApplicationFailedException("the run was cut short after " + run.wallMillis() + " ms (timeout "
                    + app.timeout().toSeconds() + " s); the recording is marked interrupted in " + request.recording());
        }
        if (run.exitStatus() != 0 && !request.allowFailure()) {
            throw new ApplicationFailedException("the application exited with status " + run.exitStatus()
                    + (run.signal().isEmpty() ? "" : " (" + run.signal() + ")")
                    + "; fix the run, or set allowFailure to record failing runs");
        }
        return recording;
    }

    /** Whether to record in a container; for {@code auto}, says in one line where the run goes and why. */
    private boolean engineFor(InContainer container) {
        if (!container.onlyIfEngine()) {
            return true;
        }
        EngineStatus engine = DockerCli.create(runner).probe(PROBE_TIMEOUT);
        console.info(engine.autoChoice());
        return engine.available();
    }

    private Recording recordInContainer(Request request, InContainer container) {
        Application app = request.application();
        RunTarget.JavaMain main = container.target();
        AppImageSpec image = AppImageSpec.java(main.javaHome(), main.classpath())
                .withExtraExecutables(container.extraExecutables());
        List<String> tracerOptions = new ArrayList<>(List.of("--mode",
                request.mode() == TracingMode.SYSCALL ? "ptrace" : "seccomp"));
        if (request.pinToOneCpu()) {
            tracerOptions.add("--pin");
        }
        TracerLaunch tracer = new TracerLaunch(container.tracerClasspath(), TraceMain.class.getName(), tracerOptions);
        console.progress("Recording " + app.commandLine() + " in Docker, in the image verify runs it in ("
                + request.mode().toString().toLowerCase(Locale.ROOT) + " tracing)");
        DockerRecorder recorder = DockerRecorder.create(DockerCli.create(runner), runner, container.cacheDirectory());
        ContainerRecording result = recorder.recordJava(image, main.mainClass(), main.jvmArguments(), main.arguments(),
                tracer, request.recording().toAbsolutePath().getParent(),
                spec -> {
                    ContainerSpec configured = spec.withTimeout(app.timeout()).withEnvironment(app.environment())
                            .withApplicationFiles(container.inputs(), container.outputs(), app.workingDirectory());
                    return app.logFile().map(configured::withLogFile).orElse(configured);
                },
                line -> console.info("[app] " + line), line -> console.warn("[app] " + line));
        result.warnings().forEach(console::warn);
        Recording recording = result.recording().orElseThrow(() -> new RecordException("the tracer in the container"
                + " left no recording: " + result.run().outcome() + ", " + result.run().detail()));
        Run run = recording.runs().get(0);
        Run labelled = new Run(run.command(), run.exitStatus(), run.signal(), run.wallMillis(), run.interrupted(),
                run.backend() + " in docker " + result.image());
        return new Recording(List.of(labelled), recording.components());
    }

    private static OutputLines prefixed(Console console) {
        return (stream, line) -> {
            if (stream == OutputLines.Stream.STDERR) {
                console.warn("[app] " + line);
            } else {
                console.info("[app] " + line);
            }
        };
    }

    private void summarize(Recording recording, Path file) {
        Run run = recording.runs().get(0);
        console.info("Recorded " + run.command() + ": exit " + run.exitStatus() + ", " + run.wallMillis() + " ms, into "
                + file);
        TextTable table = TextTable.of("arch", "component", "syscalls", "calls", "paths", "addresses");
        recording.components().forEach((arch, byExe) -> byExe.values().forEach(c -> table.row(
                arch.id(), c.executable(), c.syscalls().size(), calls(c), c.paths().size(), c.addresses().size())));
        table.lines().forEach(console::info);
    }

    private static long calls(Component component) {
        return component.syscalls().values().stream().mapToLong(use -> use.count()).sum();
    }
}
