package dev.sandboxed.sandbox;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.record.PtraceRecorder;
import dev.sandboxed.record.RecordOptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class NativeScratchTest {

    @Test
    void explore() throws Exception {
        Path work = Path.of("target/scratch").toAbsolutePath();
        Files.createDirectories(work);
        List<Path> cp = AttackApplication.compile(work.resolve("attack"));
        Path input = Files.writeString(work.resolve("input.txt"), "hello   world\n");
        Path out = Files.createDirectories(work.resolve("out"));
        Path outside = Files.createDirectories(work.resolve("outside"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = String.join(File.pathSeparator, cp.stream().map(Path::toString).toList());
        List<String> benign = List.of(java, "-cp", classpath, "Attack", input.toString(), out.toString());
        Linux linux = Linux.load();
        Recording recording = new PtraceRecorder(linux).record(benign, RecordOptions.builder()
                .output((s, l) -> System.out.println("[rec] " + l)).build());
        Policy policy = PolicyGenerator.generate(recording, PolicyGenerator.Options.defaults()).policy();
        FilesystemRules rules = FilesystemRules.fromRecording(recording)
                .plus(FilesystemRules.runtimeNeeds(FilesystemRules.javaHomes(recording)))
                .withRead(cp).withRead(List.of(input)).withReadWrite(List.of(out));
        System.out.println(rules.forLandlock().toJson());
        Files.writeString(work.resolve("policy.json"), dev.sandboxed.policy.PolicyFormat.write(policy));
        dev.sandboxed.policy.PolicyFiles.writeRecording(work.resolve("recording.json"), recording);
        NativeSandbox sandbox = NativeSandbox.create(linux, ProcessRunner.create());
        Map<String, String> env = new HashMap<>(System.getenv());
        String only = System.getProperty("attacks", "none,network,escape");
        for (String attack : only.split(",")) {
            for (boolean complain : new boolean[] {false, true}) {
                List<String> command = new ArrayList<>(benign);
                command.add(attack);
                command.add(outside.resolve("escape.txt").toString());
                NativeSpec spec = new NativeSpec(command, work, env, Duration.ofMinutes(2), policy, Map.of(),
                        Optional.of(rules), 512, work.resolve("filters"), Optional.empty());
                long t = System.nanoTime();
                NativeRun run = complain ? sandbox.complain(spec, l -> System.out.println("  [out] " + l), l -> System.out.println("  [err] " + l))
                        : sandbox.enforce(spec, l -> System.out.println("  [out] " + l), l -> System.out.println("  [err] " + l));
                System.out.println("=== " + attack + (complain ? " complain " : " enforce ") + run.outcome() + " " + run.exitCode() + " " + run.detail()
                        + " " + (System.nanoTime() - t) / 1000000 + " ms");
                System.out.print(ViolationsJson.toJson(run.violations()));
                run.notes().forEach(n -> System.out.println("  note: " + n));
            }
        }
    }
}
