package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The eBPF recorder's cost beside the untraced run and seccomp-assisted ptrace, on {@link RecordBenchmark}'s
 * workloads: {@code copy} (a JVM writing and reading 100 MB in 64 KB buffers, target at most 1.05x) and
 * {@code storm} (400k lseek+write pairs, target at most 1.5x). Runs alternate so drift hits every column alike.
 *
 * <p>Run as root: {@code mvn -q test-compile && java -cp "$(cat cp.txt):target/classes:target/test-classes"
 * dev.sandboxed.record.EbpfRecordBenchmark [runs]}. Each figure is the median of the runs.
 */
public final class EbpfRecordBenchmark {

    private EbpfRecordBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Linux linux = Linux.load();
        Path dir = Files.createTempDirectory("sandbox-bench");
        System.out.printf(Locale.ROOT, "recording 'true' with ebpf (attach + sh handshake + exec + detach): %.3f s%n",
                RecordBenchmark.median(runs, () -> RecordBenchmark.traced(linux, TracingMode.EBPF, false, List.of("true"))));
        for (String workload : List.of("copy", "storm")) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), BenchmarkWorkloads.class.getName(), workload,
                    dir.resolve(workload + ".dat").toString());
            double[] untraced = new double[runs];
            double[] ebpf = new double[runs];
            double[] seccomp = new double[runs];
            for (int i = 0; i < runs; i++) {
                untraced[i] = RecordBenchmark.untraced(command);
                ebpf[i] = RecordBenchmark.traced(linux, TracingMode.EBPF, false, command);
                seccomp[i] = RecordBenchmark.traced(linux, TracingMode.SECCOMP, false, command);
            }
            double base = median(untraced);
            System.out.printf(Locale.ROOT, "%-6s untraced                      %7.3f s%n", workload, base);
            RecordBenchmark.report(workload, "ebpf", base, median(ebpf));
            RecordBenchmark.report(workload, "seccomp-trace", base, median(seccomp));
        }
    }

    private static double median(double[] times) {
        double[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
