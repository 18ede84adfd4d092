package dev.sandboxed.sandbox;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.DockerProfile;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.record.PtraceRecorder;
import dev.sandboxed.record.RecordOptions;
import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

class DockerScratchTest {

    @Test
    void explore() throws Exception {
        Path work = Path.of("target/scratch-docker").toAbsolutePath();
        Files.createDirectories(work);
        List<Path> cp = AttackApplication.compile(work.resolve("attack"));
        Path input = Files.writeString(work.resolve("input.txt"), "hello   world\n");
        Path out = Files.createDirectories(work.resolve("out"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = String.join(File.pathSeparator, cp.stream().map(Path::toString).toList());
        List<String> benign = List.of(java, "-cp", classpath, "Attack", input.toString(), out.toString());
        Recording recording = new PtraceRecorder(Linux.load()).record(benign, RecordOptions.builder().build());
        Policy policy = PolicyGenerator.generate(recording, PolicyGenerator.Options.defaults()).policy();
        Policy complain = DockerPolicies.complaining(policy);
        Path enforceProfile = Files.writeString(work.resolve("enforce.json"), DockerProfile.write(DockerPolicies.enforcing(policy)));
        Path complainProfile = Files.writeString(work.resolve("complain.json"), DockerProfile.write(complain));
        DockerVerifier verifier = DockerVerifier.create(ProcessRunner.create(), TestEngine.CACHE);
        for (String attack : System.getProperty("attacks", "none").split(",")) {
            for (boolean c : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of(input.toString(), out.toString(), attack, "/etc/escape.txt"));
                long t = System.nanoTime();
                DockerVerification v = verifier.verifyJava(AppImageSpec.forCurrentJdk(cp), "Attack", List.of(), args,
                        s -> {
                            ContainerSpec x = s.withSeccompProfile(c ? complainProfile : enforceProfile)
                                    .withInput(input, input.toString()).withOutput(out, out.toString())
                                    .withTimeout(Duration.ofMinutes(2));
                            x = x.withExecutableTmp();
                            return c ? x.withWritableRoot().withAddedCapabilities(List.of("DAC_OVERRIDE")) : x;
                        },
                        work.resolve("violations.json"), l -> System.out.println("  [out] " + l), l -> System.out.println("  [err] " + l));
                System.out.println("=== " + attack + (c ? " complain " : " enforce ") + v.run().outcome() + " " + v.run().exitCode()
                        + " " + v.run().detail() + " " + (System.nanoTime() - t) / 1000000 + " ms; changes " + v.run().changes());
                System.out.print(ViolationsJson.toJson(v.violations()));
            }
        }
    }
}
