package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.record.TraceMain;
import dev.sandboxed.sandbox.DockerRecorder.ContainerRecording;
import dev.sandboxed.sandbox.DockerRecorder.TracerLaunch;
import dev.sandboxed.syscall.Arch;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerRecorderTest {

    @TempDir
    Path temp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void engine() {
        TestEngine.requireDocker();
    }

    @Test
    void recordsTheApplicationInTheImageVerifyRunsItIn() throws Exception {
        Path classes = ProbeApplication.compile(TestEngine.CACHE.resolve("probe"));
        Path out = temp.resolve("out");
        AppImageSpec application = AppImageSpec.forCurrentJdk(List.of(classes));
        // The tracer is this build's own classes and libraries, as the plugin's classpath is in a Maven build.
        List<Path> tracerClasspath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(path -> !path.toString().contains("junit") && !path.toString().contains("opentest4j")
                        && !path.toString().contains("apiguardian") && !path.endsWith("test-classes"))
                .toList();

        ContainerRecording recorded = DockerRecorder.create(DockerCli.create(ProcessRunner.create()),
                ProcessRunner.create(), TestEngine.CACHE).recordJava(application, ProbeApplication.MAIN_CLASS, List.of(),
                List.of("write", "/out"), new TracerLaunch(tracerClasspath, TraceMain.class.getName(), List.of()),
                temp.resolve("sandbox"), spec -> spec.withOutput(out, "/out").withTimeout(Duration.ofMinutes(2)),
                output::add, output::add);

        assertEquals(RunOutcome.EXITED, recorded.run().outcome(), recorded.run().detail() + output);
        assertEquals(0, recorded.run().exitCode(), output.toString());
        assertTrue(Files.exists(out.resolve("hello.txt")), "the application did its work while traced");
        assertTrue(output.contains("wrote /out/hello.txt"), output.toString());
        String verifyImage = AppImageAssembler.create(DockerCli.create(ProcessRunner.create()), ProcessRunner.create(),
                TestEngine.CACHE).assemble(application).tag();
        assertEquals(verifyImage, recorded.image(), "the very image verify uses, not one with the tracer added");
        Recording recording = recorded.recording().orElseThrow();
        assertEquals(0, recording.runs().get(0).exitStatus());
        Map<String, Component> components = recording.components().get(Arch.current().orElseThrow());
        assertEquals(List.of("/opt/java/bin/java"), List.copyOf(components.keySet()),
                "only the application is recorded, under its path in the image; the tracer's own JVM is not");
        Component java = components.get("/opt/java/bin/java");
        assertTrue(java.syscalls().keySet().containsAll(List.of("execve", "clone3", "futex", "openat", "fdatasync")),
                java.syscalls().keySet().toString());
        assertTrue(java.paths().containsKey("/out/hello.txt"), java.paths().keySet().toString());
        assertTrue(java.paths().get("/out/hello.txt").contains(FileAccess.CREATE), java.paths().toString());
        assertTrue(java.paths().keySet().stream().anyMatch(path -> path.startsWith("/opt/java/lib/")),
                "the image's JVM is what ran: " + java.paths().keySet());
    }
}
