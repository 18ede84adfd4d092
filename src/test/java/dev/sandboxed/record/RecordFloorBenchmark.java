package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How far the tracer sits above the least any ptrace tracer can cost, on the realistic run: the example
 * normalizer untraced (free and pinned to one CPU), under {@code src/test/c/ptrace-floor.c} pinned, and under our
 * seccomp-trace mode pinned, interleaved round by round so that a noisy machine hits every column alike.
 *
 * <pre>
 * gcc -O2 -o target/ptrace-floor src/test/c/ptrace-floor.c
 * java -Dnormalizer.jar=it/normalizer/target/normalizer-1.0.0.jar -Dptrace.floor=target/ptrace-floor \
 *      -cp $CP dev.sandboxed.record.RecordFloorBenchmark 9
 * </pre>
 */
public final class RecordFloorBenchmark {

    private RecordFloorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        String normalizer = System.getProperty("normalizer.jar");
        String floor = System.getProperty("ptrace.floor");
        if (normalizer == null || floor == null) {
            throw new IllegalArgumentException("give -Dnormalizer.jar=... and -Dptrace.floor=...");
        }
        Linux linux = Linux.load();
        List<String> command = RecordBenchmark.normalize(normalizer, Files.createTempDirectory("sandbox-floor"));
        List<String> pinned = RecordBenchmark.pinned(command);
        List<String> underFloor = RecordBenchmark.pinnedUnderFloor(floor, command);
        String[] columns = {"untraced", "untraced, pinned", "ptrace floor (C), pinned", "seccomp-trace, pinned"};
        List<List<Double>> seconds = new ArrayList<>();
        for (int c = 0; c < columns.length; c++) {
            seconds.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            seconds.get(0).add(RecordBenchmark.untraced(command));
            seconds.get(1).add(RecordBenchmark.untraced(pinned));
            seconds.get(2).add(RecordBenchmark.untraced(underFloor));
            seconds.get(3).add(RecordBenchmark.traced(linux, TracingMode.SECCOMP, true, command));
        }
        double untraced = 0;
        for (int c = 0; c < columns.length; c++) {
            List<Double> sorted = new ArrayList<>(seconds.get(c));
            Collections.sort(sorted);
            double median = sorted.get(sorted.size() / 2);
            untraced = c == 0 ? median : untraced;
            System.out.printf(Locale.ROOT, "normalize %-26s median %.3f s  %.2fx  (min %.3f, max %.3f)%n", columns[c],
                    median, median / untraced, sorted.get(0), sorted.get(sorted.size() - 1));
        }
    }
}
