package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.DockerProfile;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compile time and path lengths of {@link SeccompCompiler}, beside the anchors other compilers reach on the same
 * allow-list. Run from the project directory:
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.sandboxed.bpf.CompilerBenchmark
 * </pre>
 */
public final class CompilerBenchmark {

    private static final int WARMUP = 30;
    private static final int RUNS = 101;

    private CompilerBenchmark() {
    }

    public static void main(String[] args) {
        compileTime();
        allow100();
        dockerDefault();
    }

    private static void compileTime() {
        Policy policy = largePolicy();
        int rules = policy.architectures().stream().mapToInt(arch -> policy.rules(arch).size()).sum();
        SeccompCompiler compiler = new SeccompCompiler();
        for (int i = 0; i < WARMUP; i++) {
            compiler.compile(policy);
        }
        long[] nanos = new long[RUNS];
        Map<Arch, Program> programs = Map.of();
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            programs = compiler.compile(policy);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("compile: %d rules on %s, median %.2f ms (min %.2f, max %.2f) over %d warm runs%n",
                rules, policy.architectures(), nanos[RUNS / 2] / 1e6, nanos[0] / 1e6, nanos[RUNS - 1] / 1e6, RUNS);
        programs.forEach((arch, program) -> {
            PathAnalysis analysis = PathAnalysis.of(program, arch);
            System.out.printf("  %-8s length %4d  worst %2d%n", arch.id(), analysis.length(), analysis.worst());
        });
    }

    /** Every syscall of both tables: most allowed, every fifth denied, every seventeenth allowed only for some arguments. */
    private static Policy largePolicy() {
        Map<Arch, List<Rule>> rules = new TreeMap<>();
        for (Arch arch : Arch.values()) {
            List<Rule> list = new ArrayList<>();
            int index = 0;
            for (String name : SyscallTable.of(arch).names()) {
                if (index % 5 == 0) {
                    list.add(Rule.of(name, Action.errno(1), "benchmark"));
                } else if (index % 17 == 0) {
                    list.add(Rule.of(name, Action.allow(), "benchmark", Condition.of(0, Operator.LE, index, Width.BITS32)));
                } else {
                    list.add(Rule.allow(name, "benchmark"));
                }
                index++;
            }
            rules.put(arch, list);
        }
        return Policy.of(Action.killProcess(), rules);
    }

    private static void allow100() {
        Policy policy = Corpus.allow100Policy();
        Map<String, Long> weights = Corpus.allow100Weights();
        System.out.println("allow-100 (x86_64, default kill; worst / weighted):");
        System.out.println("  anchors: libseccomp linear 105 / 37.5, libseccomp OPTIMIZE=2 15 / 12.3, kafel 11 / 7.9, "
                + "minijail BST with frequencies 36 / 5.93");
        for (int slack = 0; slack <= 4; slack++) {
            report("slack " + slack + (slack == SeccompCompiler.DEFAULT_DEPTH_SLACK ? " (default)" : ""),
                    new SeccompCompiler(slack).compile(policy, Arch.X86_64, weights), Arch.X86_64, weights);
        }
        report("no frequencies", new SeccompCompiler().compile(policy).get(Arch.X86_64), Arch.X86_64, weights);
    }

    /**
     * Docker's default profile through the project's importer, as an unprivileged container gets it, with every
     * syscall it names weighted alike. libseccomp compiles the same profile to a filter whose longest path on
     * x86_64 runs 314 instructions.
     */
    private static void dockerDefault() {
        Path file = Corpus.directory().resolve("docker-default.json");
        Policy policy = DockerProfile.read(file).policy();
        System.out.println("docker default (" + file.getFileName() + " via DockerProfile, default "
                + policy.defaultAction() + "; libseccomp: worst 314 on x86_64):");
        Map<Arch, Program> programs = new SeccompCompiler().compile(policy);
        for (Map.Entry<Arch, Program> entry : programs.entrySet()) {
            Arch arch = entry.getKey();
            Map<String, Long> uniform = new TreeMap<>();
            policy.rules(arch).forEach(rule -> uniform.put(rule.syscall(), 1L));
            report(arch.id() + ", " + uniform.size() + " syscalls, uniform over them", entry.getValue(), arch, uniform);
            System.out.printf("    kernel-cacheable: %d numbers%n", KernelCache.cacheable(entry.getValue(), arch).cardinality());
        }
    }

    private static void report(String label, Program program, Arch arch, Map<String, Long> weights) {
        PathAnalysis analysis = PathAnalysis.of(program, arch);
        long at = analysis.worstNumber();
        String where = at <= Integer.MAX_VALUE ? SyscallTable.of(arch).name((int) at).orElse("#" + at) : "#" + at;
        System.out.printf("  %-44s length %4d  worst %2d (%s)  listed %2d  weighted %6.3f%n",
                label, analysis.length(), analysis.worst(), where, analysis.worst(weights.keySet()), analysis.weighted(weights));
    }
}
