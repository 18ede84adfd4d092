package dev.sandboxed.sandbox;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.DockerProfile;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.record.PtraceRecorder;
import dev.sandboxed.record.RecordOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What the sandbox costs a JVM workload like the example normalizer's: it reads a file of random bytes in 64 KB
 * buffers, transforms each byte and writes the result, 100 MB by default. The policy and filesystem rules are
 * recorded from the workload itself, as {@code record} and {@code profile} would.
 *
 * <ul>
 *   <li>native: the workload run directly; through {@link NativeSandbox#enforce} with an allow-everything policy
 *       and no filesystem rules; and through it with the recorded policy and filesystem rules (Landlock). Policy
 *       overhead = the last over the second, in the same runtime; the launcher JVM's fixed cost = the second minus
 *       the first.
 *   <li>Docker: the same image and hardened container, with an allow-everything profile and with the policy.
 *   <li>repeat cost: a whole Docker verify of the workload run again, its image found by content and reused.
 * </ul>
 * Runs alternate between the variants so drift in the machine affects all alike; medians are reported, with the
 * workload's own timing of its I/O loop (which excludes JVM start-up) next to the wall times.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.sandboxed.sandbox.VerifyBenchmark [MB] [runs]
 * </pre>
 */
public final class VerifyBenchmark {

    private static final String WORKLOAD = """
            import java.io.*;
            import java.nio.file.*;

            public class Workload {
                public static void main(String[] args) throws IOException {
                    long start = System.nanoTime();
                    byte[] buffer = new byte[64 * 1024];
                    long sum = 0;
                    Path output = Path.of(args[1], "normalized.bin");
                    try (InputStream in = Files.newInputStream(Path.of(args[0]));
                         OutputStream out = Files.newOutputStream(output)) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            for (int i = 0; i < n; i++) {
                                buffer[i] = (byte) (buffer[i] ^ 0x5a);
                                sum += buffer[i];
                            }
                            out.write(buffer, 0, n);
                        }
                    }
                    System.out.println("io-ms " + (System.nanoTime() - start) / 1_000_000 + " sum " + sum);
                }
            }
            """;

    private VerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path work = Files.createDirectories(Path.of("target", "verify-benchmark").toAbsolutePath());
        Path classes = compile(work);
        Path input = work.resolve("input.bin");
        generate(input, megabytes);
        Path output = Files.createDirectories(work.resolve("output"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", classes.toString(), "Workload", input.toString(), output.toString());

        Linux linux = Linux.load();
        Recording recording = new PtraceRecorder(linux).record(command, RecordOptions.builder()
                .output((stream, line) -> { }).build());
        Policy policy = PolicyGenerator.generate(recording, PolicyGenerator.Options.defaults()).policy();
        FilesystemRules rules = FilesystemRules.fromRecording(recording)
                .plus(FilesystemRules.runtimeNeeds(FilesystemRules.javaHomes(recording)))
                .withRead(List.of(classes, input)).withReadWrite(List.of(output));
        System.out.printf("workload: %d MB in 64 KB buffers, %d runs per variant, %s%n", megabytes, runs,
                System.getProperty("java.vm.version"));

        ProcessRunner runner = ProcessRunner.create();
        NativeSandbox sandbox = NativeSandbox.create(linux, runner);
        NativeSpec confined = new NativeSpec(command, work, System.getenv(), Duration.ofMinutes(10), policy,
                recording.syscallCounts(linux.arch()), Optional.of(rules), ContainerSpec.DEFAULT_PIDS_LIMIT,
                work.resolve("filters"), Optional.empty());
        NativeSpec unconfined = new NativeSpec(command, work, System.getenv(), Duration.ofMinutes(10),
                Policy.of(Action.allow(), Map.of(linux.arch(), List.of())), Map.of(), Optional.empty(),
                ContainerSpec.DEFAULT_PIDS_LIMIT, work.resolve("filters"), Optional.empty());
        Samples direct = new Samples();
        Samples noPolicy = new Samples();
        Samples withPolicy = new Samples();
        for (int i = 0; i < runs + 1; i++) {
            Samples into = i == 0 ? new Samples() : null;
            ProcessResult plain = runner.run(Command.of(command).capturingStdout());
            if (!plain.succeeded()) {
                throw new IllegalStateException("the workload failed: " + plain.stderrText());
            }
            (into != null ? into : direct).add(plain.elapsed().toMillis(), ioMillis(plain.stdout()));
            enforce(sandbox, unconfined, into != null ? into : noPolicy);
            enforce(sandbox, confined, into != null ? into : withPolicy);
        }
        System.out.println();
        System.out.println("native                            wall ms (median)   workload's I/O loop ms (median)");
        direct.print("  direct, no sandbox             ");
        noPolicy.print("  sandbox, allow-all, no Landlock");
        withPolicy.print("  sandbox, policy + Landlock     ");
        System.out.printf("  policy overhead (policy / allow-all, same launcher): wall %.3fx, I/O loop %.3fx%n",
                ratio(withPolicy.wall(), noPolicy.wall()), ratio(withPolicy.io(), noPolicy.io()));
        System.out.printf("  the launcher JVM's fixed cost (allow-all - direct): %d ms%n", noPolicy.wall() - direct.wall());

        DockerCli docker = DockerCli.create(runner);
        EngineStatus engine = docker.probe(Duration.ofSeconds(10));
        if (!engine.available()) {
            System.out.println("docker: skipped, " + engine.reason());
            return;
        }
        dockerFigures(runner, docker, work, classes, input, output, policy, runs);
    }

    private static void dockerFigures(ProcessRunner runner, DockerCli docker, Path work, Path classes, Path input,
                                      Path output, Policy policy, int runs) throws IOException {
        Path cache = Path.of("target", "sandbox-test-cache").toAbsolutePath();
        AppImageAssembler assembler = AppImageAssembler.create(docker, runner, cache);
        AppImageSpec application = AppImageSpec.forCurrentJdk(List.of(classes));
        AppImage image = assembler.assemble(application);
        Path allowAll = Files.writeString(work.resolve("allow-all.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n");
        Path enforcing = Files.writeString(work.resolve("policy.json"), DockerProfile.write(DockerPolicies.enforcing(policy)));
        List<String> containerCommand = image.javaCommand(List.of(), "Workload", List.of(input.toString(),
                output.toString()));
        Files.deleteIfExists(output.resolve("normalized.bin"));
        ContainerSpec base = ContainerSpec.of(image.tag(), containerCommand).withInput(input, input.toString())
                .withOutput(output, output.toString()).withTimeout(Duration.ofMinutes(10));
        DockerSandbox sandbox = DockerSandbox.create(docker);
        Samples unconfined = new Samples();
        Samples confined = new Samples();
        for (int i = 0; i < runs + 1; i++) {
            for (Path profile : List.of(allowAll, enforcing)) {
                StringBuilder out = new StringBuilder();
                ContainerRun run = sandbox.run(base.withSeccompProfile(profile), line -> out.append(line).append('\n'),
                        line -> { });
                if (run.outcome() != RunOutcome.EXITED || run.exitCode() != 0) {
                    throw new IllegalStateException("container run failed: " + run.detail());
                }
                if (i > 0) {
                    (profile == allowAll ? unconfined : confined).add(run.elapsed().toMillis(), ioMillis(out.toString()));
                }
            }
        }
        System.out.println();
        System.out.println("docker                       container ms (median, create to remove)   I/O loop ms");
        unconfined.print("  allow-all profile         ");
        confined.print("  the policy (enforce)      ");
        System.out.printf("  policy overhead: container %.3fx, I/O loop %.3fx%n",
                ratio(confined.wall(), unconfined.wall()), ratio(confined.io(), unconfined.io()));

        DockerVerifier verifier = DockerVerifier.create(runner, cache);
        List<Long> totals = new ArrayList<>();
        List<Long> assembly = new ArrayList<>();
        List<Long> io = new ArrayList<>();
        for (int i = 0; i < Math.max(3, runs / 2); i++) {
            StringBuilder out = new StringBuilder();
            long start = System.nanoTime();
            DockerVerification verification = verifier.verifyJava(application, "Workload", List.of(),
                    List.of(input.toString(), output.toString()),
                    spec -> spec.withSeccompProfile(enforcing).withInput(input, input.toString())
                            .withOutput(output, output.toString()),
                    work.resolve("violations.json"), line -> out.append(line).append('\n'), line -> { });
            totals.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
            AppImage used = verification.image().orElseThrow();
            if (!used.reused()) {
                throw new IllegalStateException("the image was not reused");
            }
            assembly.add(used.assemblyTime().toMillis());
            io.add(ioMillis(out.toString()));
        }
        System.out.println();
        System.out.printf("repeated Docker verify (image reused): whole verify median %d ms, of which finding the"
                + " image %d ms; the workload's I/O loop %d ms%n", median(totals), median(assembly), median(io));
    }

    /** A run's wall time and its own I/O timing. */
    private static final class Samples {
        private final List<Long> wall = new ArrayList<>();
        private final List<Long> io = new ArrayList<>();

        void add(long wallMillis, long ioMillis) {
            wall.add(wallMillis);
            io.add(ioMillis);
        }

        long wall() {
            return median(wall);
        }

        long io() {
            return median(io);
        }

        void print(String label) {
            System.out.printf("%s %8d %s   %8d%n", label, wall(), wall, io());
        }
    }

    private static void enforce(NativeSandbox sandbox, NativeSpec spec, Samples samples) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        NativeRun run = sandbox.enforce(spec, lines::add, lines::add);
        if (run.exitCode() != 0 || !run.violations().nothingRefused()) {
            throw new IllegalStateException("the workload failed under its own policy: " + run.detail() + lines);
        }
        samples.add(run.elapsed().toMillis(), ioMillis(String.join("\n", lines)));
    }

    private static long ioMillis(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("io-ms ")) {
                return Long.parseLong(line.split(" ")[1]);
            }
        }
        throw new IllegalStateException("the workload printed no timing: " + output);
    }

    private static Path compile(Path work) throws IOException {
        Path source = Files.createDirectories(work.resolve("src")).resolve("Workload.java");
        Files.writeString(source, WORKLOAD, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler.run(null, null, null, "--release", "17", "-d", classes.toString(), source.toString()) != 0) {
            throw new IllegalStateException("the workload does not compile");
        }
        return classes;
    }

    private static void generate(Path file, int megabytes) throws IOException {
        if (Files.exists(file) && Files.size(file) == megabytes * (1L << 20)) {
            return;
        }
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
