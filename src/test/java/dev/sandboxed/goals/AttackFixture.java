package dev.sandboxed.goals;

import dev.sandboxed.sandbox.OutsideTmp;
import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.PolicyFiles;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.record.PtraceRecorder;
import dev.sandboxed.record.RecordOptions;
import dev.sandboxed.sandbox.AttackApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The attack program's benign run, recorded with the real tracer and compiled with {@code sandbox:profile}'s core,
 * once per test JVM: the policy every attack is then verified against. The directory an attack must not write lies
 * outside {@code /tmp} ({@link OutsideTmp}), because {@code /tmp} is writable to every verified JVM and a write "outside the output directory"
 * must have somewhere to be refused.
 */
final class AttackFixture {

    static final Path ROOT = Path.of("target", "verify-attacks").toAbsolutePath();
    /** Where an attack tries to write; no rule lets it (see {@link OutsideTmp}). */
    static final Path OUTSIDE = OutsideTmp.directory("verify-attacks-outside");
    static final Path CACHE = Path.of("target", "sandbox-test-cache").toAbsolutePath();

    private static AttackFixture instance;

    final Path input;
    final Path output;
    final Path outside;
    final Path sandbox;
    final List<Path> classpath;
    final Recording recording;

    private AttackFixture(Path input, Path output, Path outside, Path sandbox, List<Path> classpath,
                          Recording recording) {
        this.input = input;
        this.output = output;
        this.outside = outside;
        this.sandbox = sandbox;
        this.classpath = classpath;
        this.recording = recording;
    }

    static synchronized AttackFixture get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static AttackFixture create() {
        try {
            List<Path> classpath = AttackApplication.compile(ROOT.resolve("program"));
            Path input = Files.writeString(ROOT.resolve("input.txt"), "a   sample\nof  text to   normalise\n");
            Path output = Files.createDirectories(ROOT.resolve("output"));
            Path outside = Files.createDirectories(OUTSIDE);
            Path sandbox = Files.createDirectories(ROOT.resolve("sandbox"));
            for (String stale : List.of("seccomp.json", "recording.json", "filesystem.json")) {
                Files.deleteIfExists(sandbox.resolve(stale));
            }
            RunTarget benign = target(classpath, input, output, List.of());
            Recording recording = new PtraceRecorder(Linux.load()).record(benign.hostCommand(), RecordOptions.builder()
                    .timeout(Duration.ofMinutes(2)).output((stream, line) -> System.out.println("[record] " + line))
                    .build());
            if (recording.runs().get(0).exitStatus() != 0) {
                throw new IllegalStateException("the benign run failed: " + recording.runs().get(0));
            }
            PolicyFiles.writeRecording(sandbox.resolve("recording.json"), recording);
            new ProfileGoal(Console.system()).run(new ProfileGoal.Request(sandbox.resolve("committed-policy.json"),
                    false, List.of(sandbox.resolve("recording.json")), sandbox, false, Set.of(), "attack", Optional.empty()));
            return new AttackFixture(input, output, outside, sandbox, classpath, recording);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The program with the attack's arguments after the benign ones. */
    RunTarget target(String... attack) {
        return target(classpath, input, output, List.of(attack));
    }

    private static RunTarget target(List<Path> classpath, Path input, Path output, List<String> attack) {
        List<String> arguments = new ArrayList<>(List.of(input.toString(), output.toString()));
        arguments.addAll(attack);
        return new RunTarget.JavaMain(Path.of(System.getProperty("java.home")), List.of(), classpath,
                AttackApplication.MAIN_CLASS, arguments);
    }

    /** A request against the recorded policy, with its own output directory. */
    VerifyGoal.Request request(RunTarget target, VerifyRuntime runtime, VerifyMode mode, String name) {
        try {
            Path out = Files.createDirectories(ROOT.resolve("runs").resolve(name));
            return new VerifyGoal.Request(target, ROOT, Map.of(), Duration.ofMinutes(2), sandbox.resolve("seccomp.json"),
                    runtime, mode, true, Optional.empty(), List.of(), out, List.of(input), List.of(output),
                    Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static VerifyGoal goal(Console console) {
        return new VerifyGoal(console, Linux::load, ProcessRunner.create(), CACHE);
    }
}
