package dev.sandboxed.bpf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    public static void main(String[] args) throws IOException {
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
     * APPROXIMATION, until the Docker importer lands: reads Docker's default profile with Jackson here, keeping
     * the rules that apply to an unprivileged container on each architecture (no capability includes), with
     * their argument conditions as 64-bit comparisons. The integrator switches this to the real importer.
     */
    private static void dockerDefault() throws IOException {
        Path file = Corpus.directory().resolve("docker-default.json");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Action defaultAction = Action.errno(root.path("defaultErrnoRet").asInt(1));
        Map<Arch, List<Rule>> rules = new TreeMap<>();
        for (Arch arch : Arch.values()) {
            String dockerArch = arch == Arch.X86_64 ? "amd64" : "arm64";
            SyscallTable table = SyscallTable.of(arch);
            List<Rule> list = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            for (JsonNode entry : root.path("syscalls")) {
                JsonNode includes = entry.path("includes");
                if (includes.path("caps").size() > 0) {
                    continue;
                }
                if (includes.path("arches").size() > 0 && !contains(includes.path("arches"), dockerArch)) {
                    continue;
                }
                Action action = entry.path("action").asText().equals("SCMP_ACT_ALLOW")
                        ? Action.allow() : Action.errno(entry.path("errnoRet").asInt(1));
                List<Condition> conditions = new ArrayList<>();
                for (JsonNode arg : entry.path("args")) {
                    Operator operator = Arrays.stream(Operator.values())
                            .filter(op -> op.dockerName().equals(arg.path("op").asText())).findFirst().orElseThrow();
                    int index = arg.path("index").asInt();
                    long value = arg.path("value").asLong();
                    conditions.add(operator == Operator.MASKED_EQ
                            ? Condition.masked(index, value, arg.path("valueTwo").asLong(0), Width.BITS64)
                            : Condition.of(index, operator, value, Width.BITS64));
                }
                for (JsonNode name : entry.path("names")) {
                    Rule rule = new Rule(name.asText(), action, conditions, "docker default");
                    if (table.contains(name.asText()) && keys.add(rule.syscall() + rule.conditions())) {
                        list.add(rule);
                    }
                }
            }
            rules.put(arch, list);
        }
        Policy policy = Policy.of(defaultAction, rules);
        System.out.println("docker default (APPROXIMATION read in the benchmark, not the importer; default errno(1)):");
        Map<Arch, Program> programs = new SeccompCompiler().compile(policy);
        for (Map.Entry<Arch, Program> entry : programs.entrySet()) {
            Arch arch = entry.getKey();
            Map<String, Long> uniform = new TreeMap<>();
            policy.rules(arch).forEach(rule -> uniform.put(rule.syscall(), 1L));
            report(arch.id() + ", " + uniform.size() + " syscalls, uniform over them", entry.getValue(), arch, uniform);
            if (arch == Arch.X86_64) {
                Map<String, Long> weights = Corpus.allow100Weights();
                report("x86_64, allow-100 frequencies", new SeccompCompiler().compile(policy, arch, weights), arch, weights);
            }
            System.out.printf("    kernel-cacheable: %d numbers%n", KernelCache.cacheable(entry.getValue(), arch).cardinality());
        }
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode node : array) {
            if (node.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static void report(String label, Program program, Arch arch, Map<String, Long> weights) {
        PathAnalysis analysis = PathAnalysis.of(program, arch);
        long at = analysis.worstNumber();
        String where = at <= Integer.MAX_VALUE ? SyscallTable.of(arch).name((int) at).orElse("#" + at) : "#" + at;
        System.out.printf("  %-44s length %4d  worst %2d (%s)  weighted %6.3f%n",
                label, analysis.length(), analysis.worst(), where, analysis.weighted(weights));
    }
}
