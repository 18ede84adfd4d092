package dev.sandboxed.goals;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import dev.sandboxed.record.OutputLines;
import dev.sandboxed.record.PtraceRecorder;
import dev.sandboxed.record.RecordOptions;
import dev.sandboxed.record.RecordingSession;
import dev.sandboxed.record.RecordingStore;
import dev.sandboxed.record.TracingMode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
     */
    public record Request(Application application, Path recording, boolean append, boolean allowFailure,
                          TracingMode mode) {

        public Request {
            Objects.requireNonNull(application, "application");
            Objects.requireNonNull(recording, "recording");
            Objects.requireNonNull(mode, "mode");
        }
    }

    private final Console console;
    private final Linux linux;

    public RecordGoal(Console console, Linux linux) {
        this.console = Objects.requireNonNull(console, "console");
        this.linux = Objects.requireNonNull(linux, "linux");
    }

    public Recording run(Request request) {
        Application app = request.application();
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(app.environment());
        RecordOptions.Builder options = RecordOptions.builder()
                .mode(request.mode())
                .timeout(app.timeout())
                .workingDirectory(app.workingDirectory())
                .environment(environment)
                .output(prefixed(console));
        app.logFile().ifPresent(options::outputFile);
        console.progress("Recording " + app.commandLine() + " (" + request.mode().toString().toLowerCase(Locale.ROOT)
                + " tracing)");
        RecordingSession session = new PtraceRecorder(linux).start(app.command(), options.build());
        session.notice().ifPresent(console::warn);
        Recording recording = session.await();
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
