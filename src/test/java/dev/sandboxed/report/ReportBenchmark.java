package dev.sandboxed.report;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyDiff;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import dev.sandboxed.policy.SyscallUse;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * How long rendering takes: the realistic fixture, and a worst case of ten programs that each used every x86_64
 * syscall with argument values and touched 2,000 paths. Run after {@code mvn test-compile}:
 * <pre>{@code
 * java -Dshared.dir=../shared -cp target/classes:target/test-classes:$(mvn -q dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout) dev.sandboxed.report.ReportBenchmark
 * }</pre>
 */
public final class ReportBenchmark {

    private ReportBenchmark() {
    }

    public static void main(String[] args) {
        ReportInput realistic = ReportFixtures.realistic();
        Recording large = everything();
        Policy policy = PolicyGenerator.generate(large, PolicyGenerator.Options.defaults()).policy();
        ReportInput worst = ReportInput.of("worst case", policy).withRecording(large)
                .withDiff(PolicyDiff.between(realistic.policy(), policy)).withViolations(ReportFixtures.violations());
        ReportInput withDocker = ReportFixtures.dockerDefault().map(worst::withDockerDefault).orElse(worst);
        time("realistic (2 programs)", realistic);
        time("worst case (10 programs, every syscall, 2,000 paths each)", withDocker);
    }

    private static Recording everything() {
        SortedMap<String, Component> components = new TreeMap<>();
        for (int p = 0; p < 10; p++) {
            String exe = "/opt/app/bin/program-" + p;
            Map<String, SyscallUse> uses = new TreeMap<>();
            for (String name : SyscallTable.of(Arch.X86_64).names()) {
                SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
                values.put(0, new TreeSet<>(List.of(1L, 2L, 10L, 16L)));
                values.put(1, new TreeSet<>(List.of(0x5401L, 0x5413L, 0x80002L)));
                uses.put(name, new SyscallUse(1000 + p, 1 + p % 3, values));
            }
            SortedMap<String, SortedSet<FileAccess>> paths = new TreeMap<>();
            for (int i = 0; i < 2000; i++) {
                paths.put("/var/lib/app/data/" + p + "/file-" + i, new TreeSet<>(List.of(FileAccess.READ, FileAccess.WRITE)));
            }
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                addresses.add("connect inet:10.0.0." + i + ":5432");
            }
            components.put(exe, new Component(exe, new TreeMap<>(uses), paths, new TreeSet<>(addresses)));
        }
        List<Run> runs = List.of(new Run("bench", 0, "", 1, false, "ptrace"), new Run("bench", 0, "", 1, false, "ptrace"),
                new Run("bench", 0, "", 1, false, "ptrace"));
        return new Recording(runs, new TreeMap<>(Map.of(Arch.X86_64, components)));
    }

    private static void time(String what, ReportInput input) {
        Supplier<String> work = () -> HtmlReport.render(input);
        int size = work.get().length();
        for (int i = 0; i < 10; i++) {
            work.get();
        }
        int rounds = 20;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            work.get();
        }
        double millis = (System.nanoTime() - start) / 1e6 / rounds;
        System.out.printf(Locale.ROOT, "%-60s %8.2f ms  %,10d chars%n", what, millis, size);
    }
}
