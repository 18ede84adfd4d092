package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock cost of recording, against the untraced program and {@code strace -f -o /dev/null} in the same run:
 * {@code normalize} (the example normalizer on a 105 MB EDF recording, the realistic run; given
 * {@code -Dnormalizer.jar}), {@code copy} (a JVM writing and reading 100 MB in 64 KB buffers) and {@code storm} (a JVM
 * making 400k lseek+write pairs), each in both tracing modes, unpinned and pinned to one CPU. With
 * {@code -Dptrace.floor=target/ptrace-floor} (built from {@code src/test/c/ptrace-floor.c}) it also runs the least a
 * ptrace tracer can do, pinned, beside the untraced program pinned: what is left above those is this tracer's own.
 *
 * <p>Run: {@code mvn -q test-compile && java -cp "$(cat cp.txt):target/classes:target/test-classes"
 * dev.sandboxed.record.RecordBenchmark [copyRuns] [stormRuns]} (cp.txt from
 * {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}). Each figure is the median of the runs.
 */
public final class RecordBenchmark {

    private RecordBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int copyRuns = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int stormRuns = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Linux linux = Linux.load();
        Path dir = Files.createTempDirectory("sandbox-bench");
        System.out.printf(Locale.ROOT, "recording 'true' (launcher JVM start + exec): %.3f s%n",
                median(copyRuns, () -> traced(linux, TracingMode.SECCOMP, false, List.of("true"))));
        Map<String, List<String>> workloads = new LinkedHashMap<>();
        String normalizer = System.getProperty("normalizer.jar", "");
        if (normalizer.isEmpty()) {
            System.out.println("normalize: skipped, -Dnormalizer.jar=it/normalizer/target/normalizer-1.0.0.jar not given");
        } else {
            workloads.put("normalize", normalize(normalizer, dir));
        }
        for (String workload : List.of("copy", "storm")) {
            workloads.put(workload, List.of(java(), "-cp", System.getProperty("java.class.path"),
                    BenchmarkWorkloads.class.getName(), workload, dir.resolve(workload + ".dat").toString()));
        }
        String floor = System.getProperty("ptrace.floor", "");
        for (Map.Entry<String, List<String>> entry : workloads.entrySet()) {
            String workload = entry.getKey();
            List<String> command = entry.getValue();
            int runs = workload.equals("storm") ? stormRuns : copyRuns;
            double untraced = median(runs, () -> untraced(command));
            System.out.printf(Locale.ROOT, "%-6s untraced                      %7.3f s%n", workload, untraced);
            report(workload, "untraced, pinned", untraced, median(runs, () -> untraced(pinned(command))));
            if (!floor.isEmpty()) {
                report(workload, "ptrace floor (C), pinned", untraced,
                        median(runs, () -> untraced(pinnedUnderFloor(floor, command))));
            }
            report(workload, "strace -f -o /dev/null", untraced, median(runs, () -> untraced(strace(command, false))));
            report(workload, "strace -f, pinned", untraced, median(runs, () -> untraced(strace(command, true))));
            for (TracingMode mode : TracingMode.values()) {
                for (boolean pin : mode == TracingMode.EBPF ? new boolean[] {false} : new boolean[] {false, true}) {
                    report(workload, mode.backend() + (pin ? ", pinned" : ""), untraced,
                            median(runs, () -> traced(linux, mode, pin, command)));
                }
            }
        }
    }

    /**
     * The realistic run: generates a 105 MB EDF recording in {@code dir} and returns the command that
     * normalizes it.
     */
    static List<String> normalize(String normalizerJar, Path dir) throws Exception {
        String java = java();
        Path input = dir.resolve("in.edf");
        untraced(List.of(java, "-cp", normalizerJar, "dev.sandboxed.normalizer.Main", "generate", "--out",
                input.toString(), "--channels", "64", "--seconds", "3200", "--rate", "256"));
        return List.of(java, "-cp", normalizerJar, "dev.sandboxed.normalizer.Main", "normalize", "--in",
                input.toString(), "--out", dir.resolve("out").toString(), "--unit", "uV");
    }

    interface Timed {
        double seconds() throws Exception;
    }

    static double median(int runs, Timed timed) throws Exception {
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            times[i] = timed.seconds();
        }
        Arrays.sort(times);
        return times[runs / 2];
    }

    static void report(String workload, String what, double untraced, double seconds) {
        System.out.printf(Locale.ROOT, "%-6s %-29s %7.3f s  %6.2fx%n", workload, what, seconds, seconds / untraced);
    }

    static double untraced(List<String> command) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<String> strace(List<String> command, boolean pinned) {
        List<String> argv = new ArrayList<>(List.of("strace", "-f", "-o", "/dev/null"));
        argv.addAll(command);
        return pinned ? pinned(argv) : argv;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code command} under {@code src/test/c/ptrace-floor.c} (built at {@code floor}), pinned to one CPU. */
    static List<String> pinnedUnderFloor(String floor, List<String> command) {
        List<String> argv = new ArrayList<>(List.of(floor, "1"));
        argv.addAll(command);
        return pinned(argv);
    }

    static List<String> pinned(List<String> command) {
        List<String> argv = new ArrayList<>(List.of("taskset", "-c", "0"));
        argv.addAll(command);
        return argv;
    }

    static double traced(Linux linux, TracingMode mode, boolean pin, List<String> command) {
        long start = System.nanoTime();
        RecordOptions options = RecordOptions.builder().mode(mode).pinToOneCpu(pin).output((stream, line) -> { }).build();
        int status = new PtraceRecorder(linux).record(command, options).runs().get(0).exitStatus();
        if (status != 0) {
            throw new IllegalStateException(command + " exited with " + status);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
