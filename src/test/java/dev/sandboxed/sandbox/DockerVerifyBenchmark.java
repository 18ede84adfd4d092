package dev.sandboxed.sandbox;

import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Measures what the Docker half of verify costs: a cold image assembly (jdeps, jlink, archive, import), the size
 * of the image, a warm assembly that finds the image by content, and the overhead of a whole repeated verify
 * beyond the application's own run time on the host.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.sandboxed.sandbox.DockerVerifyBenchmark [runs]
 * </pre>
 */
public final class DockerVerifyBenchmark {

    private DockerVerifyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ProcessRunner runner = ProcessRunner.create();
        DockerCli docker = DockerCli.create(runner);
        EngineStatus engine = docker.probe(Duration.ofSeconds(10));
        if (!engine.available()) {
            System.out.println("no Docker engine: " + engine.reason());
            return;
        }
        Path work = Files.createTempDirectory("verify-benchmark");
        Path cache = work.resolve("cache");
        Path classes = ProbeApplication.compile(work.resolve("probe"));
        AppImageSpec spec = AppImageSpec.forCurrentJdk(List.of(classes)).withExtraExecutables(List.of("gzip"));
        AppImageAssembler assembler = AppImageAssembler.create(docker, runner, cache);

        // Cold: nothing cached and the image absent from the engine.
        String tag = assembler.assemble(spec).tag();
        docker.removeImage(tag);
        JavaRuntimes.deleteRecursively(cache);
        AppImage cold = assembler.assemble(spec);
        AppImage warm = assembler.assemble(spec);
        System.out.printf("engine %s%n", engine.serverVersion());
        System.out.printf("cold assembly (jdeps + jlink + archive + import): %d ms%n", cold.assemblyTime().toMillis());
        System.out.printf("image %s: archive %.1f MB, engine size %.1f MB%n", cold.tag(),
                cold.archiveBytes() / 1e6, docker.imageSize(cold.tag()) / 1e6);
        System.out.printf("warm assembly (image reused: %s): %d ms%n", warm.reused(), warm.assemblyTime().toMillis());

        Path profile = TestEngine.profile(work, "SCMP_ACT_LOG", Map.of("fdatasync", "SCMP_ACT_LOG"), false);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        DockerVerifier verifier = DockerVerifier.create(runner, cache);
        List<Long> host = new ArrayList<>();
        List<Long> verify = new ArrayList<>();
        List<Long> container = new ArrayList<>();
        DockerVerification last = null;
        for (int i = 0; i < runs; i++) {
            Path hostOut = Files.createDirectories(work.resolve("host-" + i));
            long start = System.nanoTime();
            runner.run(Command.of(java.toString(), "-cp", classes.toString(), ProbeApplication.MAIN_CLASS, "write",
                    hostOut.toString())).requireSuccess();
            host.add(millisSince(start));

            Path out = work.resolve("out-" + i);
            start = System.nanoTime();
            last = verifier.verifyJava(spec, ProbeApplication.MAIN_CLASS, List.of(), List.of("write", "/out"),
                    s -> s.withSeccompProfile(profile).withOutput(out, "/out"), work.resolve("violations.json"),
                    line -> { }, line -> { });
            verify.add(millisSince(start));
            container.add(last.run().elapsed().toMillis());
            if (last.run().outcome() != RunOutcome.EXITED || last.run().exitCode() != 0) {
                throw new IllegalStateException("verify run failed: " + last.run().detail());
            }
        }
        long hostMedian = median(host);
        long verifyMedian = median(verify);
        System.out.printf("app on the host (JVM start + work), median of %d: %d ms %s%n", runs, hostMedian, host);
        System.out.printf("whole repeated verify, median: %d ms %s%n", verifyMedian, verify);
        System.out.printf("  of which the container run (create, start, collect, remove): median %d ms %s%n",
                median(container), container);
        System.out.printf("overhead beyond the app's own run time: %d ms (target < 2000 ms)%n",
                verifyMedian - hostMedian);
        System.out.println("violations of the last run:");
        System.out.print(ViolationsJson.toJson(last.violations()));
        JavaRuntimes.deleteRecursively(work);
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
