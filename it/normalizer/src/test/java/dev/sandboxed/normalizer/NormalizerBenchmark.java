package dev.sandboxed.normalizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import com.sun.management.OperatingSystemMXBean;

/**
 * Throughput of the normalizer next to a plain read of the same file ({@code cat > /dev/null} in Java, 64 KB
 * reads). Generates a ~100 MB synthetic recording, then times each configuration with 1 and 2 threads, keeping
 * the best of several runs. MB/s is input megabytes (10^6 bytes) per wall-clock second; the normalizer reads
 * the input twice (measure, then write), so it moves twice the bytes the plain read does. CPU seconds (all
 * threads of this JVM) are printed next to wall-clock seconds because on a shared machine wall time also
 * measures the neighbours.
 *
 * <pre>
 * mvn -B -q test-compile
 * java -cp target/classes:target/test-classes dev.sandboxed.normalizer.NormalizerBenchmark [work-dir]
 * </pre>
 */
public final class NormalizerBenchmark {
    private static final int CHANNELS = 64;
    private static final int RATE = 256;
    private static final int SECONDS = 3200;
    private static final int RUNS = 3;

    private NormalizerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("normalizer-benchmark");
        Files.createDirectories(work);
        Path input = work.resolve("bench.edf");
        long start = System.nanoTime();
        SyntheticRecording.write(input, CHANNELS, SECONDS, RATE, 1);
        double size = Files.size(input) / 1e6;
        System.out.printf(Locale.ROOT, "input: %s, %.1f MB (%d channels x %d Hz x %d s), generated in %.1f s%n",
                input, size, CHANNELS, RATE, SECONDS, (System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "java %s, %d cores; best of %d runs%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), RUNS);
        System.out.printf(Locale.ROOT, "load average before: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "%-62s %6s %6s %8s%n", "configuration", "wall s", "cpu s", "MB/s");

        report("plain read, 64 KB buffer (cat > /dev/null)", size, best(() -> plainRead(input)));
        List<String[]> configurations = List.of(
                new String[] {"--labels", "1020", "--unit", "uV"},
                new String[] {"--labels", "1020", "--unit", "uV", "--scale", "zscore"},
                new String[] {"--labels", "1020", "--unit", "uV", "--scale", "zscore", "--rate", "128"});
        for (String[] options : configurations) {
            for (int threads : new int[] {1, 2}) {
                Path out = work.resolve("out");
                List<String> args2 = new ArrayList<>(List.of("--in", input.toString(), "--out", out.toString(),
                        "--threads", Integer.toString(threads)));
                args2.addAll(List.of(options));
                String name = String.join(" ", options).replace("--labels 1020 --unit uV", "labels+unit")
                        + " --threads " + threads;
                report(name, size, best(() -> normalize(args2.toArray(String[]::new))));
            }
        }
        if (args.length == 0) {
            deleteTree(work);
        }
    }

    private interface Task {
        void run() throws IOException;
    }

    /** Wall and CPU seconds of the run with the least wall time, after one warm-up run. */
    private static double[] best(Task task) throws IOException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        task.run();
        double[] best = {Double.MAX_VALUE, 0};
        for (int i = 0; i < RUNS; i++) {
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            task.run();
            double wall = (System.nanoTime() - start) / 1e9;
            if (wall < best[0]) {
                best = new double[] {wall, (os.getProcessCpuTime() - cpu) / 1e9};
            }
        }
        return best;
    }

    private static void report(String name, double megabytes, double[] seconds) {
        System.out.printf(Locale.ROOT, "%-62s %6.2f %6.2f %8.1f%n", name, seconds[0], seconds[1],
                megabytes / seconds[0]);
    }

    private static void plainRead(Path file) throws IOException {
        byte[] buffer = new byte[EdfReader.IO_BUFFER];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        if (total != Files.size(file)) {
            throw new IllegalStateException("read " + total + " bytes");
        }
    }

    private static void normalize(String[] args) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int code = Main.run(args, quiet, System.err);
        if (code != 0) {
            throw new IllegalStateException("normalize exited with " + code);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
