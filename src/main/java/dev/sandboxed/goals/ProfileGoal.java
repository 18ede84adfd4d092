package dev.sandboxed.goals;

import dev.sandboxed.bpf.Disassembler;
import dev.sandboxed.bpf.PathAnalysis;
import dev.sandboxed.bpf.Program;
import dev.sandboxed.bpf.SeccompCompiler;
import dev.sandboxed.json.AtomicFiles;
import dev.sandboxed.policy.DockerProfile;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.policy.KubernetesProfile;
import dev.sandboxed.policy.LoadedPolicy;
import dev.sandboxed.policy.Location;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyDiff;
import dev.sandboxed.policy.PolicyFiles;
import dev.sandboxed.policy.PolicyFormat;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.PolicyMerge;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.report.HtmlReport;
import dev.sandboxed.sandbox.DockerPolicies;
import dev.sandboxed.report.ReportInput;
import dev.sandboxed.syscall.Arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code sandbox:profile}: merges the committed policy with the recordings and compiles the result into every
 * format a runtime loads. All outputs are produced in memory first and only then written, each atomically, so a
 * bad input leaves the previous outputs untouched rather than a mix of old and new files.
 */
public final class ProfileGoal {

    public static final String SECCOMP_JSON = "seccomp.json";
    public static final String KUBERNETES_YAML = "seccompprofile.yaml";
    public static final String EFFECTIVE_POLICY = "policy.json";
    public static final String REPORT = "report.html";

    /**
     * @param policy the committed policy (ours or Docker's); may not exist when recordings are given
     * @param policyExplicit true when the user named the policy, so a missing file is an error rather than "none yet"
     * @param recordings recordings to merge; empty means policy only
     * @param outputDirectory where outputs go
     * @param update write the merged policy back to {@code policy} and print the diff
     * @param capabilities the capabilities Docker profiles' {@code includes}/{@code excludes} are resolved for
     * @param profileName {@code metadata.name} of the Kubernetes resource
     * @param compareWith a Docker profile (usually Docker's default) the report compares the policy with
     */
    public record Request(Path policy, boolean policyExplicit, List<Path> recordings, Path outputDirectory,
                          boolean update, Set<String> capabilities, String profileName, Optional<Path> compareWith) {

        public Request {
            Objects.requireNonNull(policy, "policy");
            recordings = List.copyOf(Objects.requireNonNull(recordings, "recordings"));
            Objects.requireNonNull(outputDirectory, "outputDirectory");
            capabilities = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
            Objects.requireNonNull(profileName, "profileName");
            Objects.requireNonNull(compareWith, "compareWith");
        }
    }

    /** Figures of one compiled program, for the summary and the report. */
    public record ProgramStats(Arch arch, int allowed, int conditional, int length, int worst, double average) {
    }

    /** @param diff from the committed policy (or from nothing, when there is none) to the compiled one */
    public record Result(Policy policy, Optional<Recording> recording, List<ProgramStats> programs,
                         PolicyDiff diff, List<Path> written) {
    }

    private final Console console;
    private final SeccompCompiler compiler;

    public ProfileGoal(Console console) {
        this(console, new SeccompCompiler());
    }

    public ProfileGoal(Console console, SeccompCompiler compiler) {
        this.console = Objects.requireNonNull(console, "console");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
    }

    public Result run(Request request) {
        Optional<LoadedPolicy> committed = readCommitted(request);
        Optional<Recording> recording = readRecordings(request.recordings());
        if (committed.isEmpty() && recording.isEmpty()) {
            throw new InvalidPolicyException("there is nothing to compile: neither the policy " + request.policy()
                    + " nor a recording exists; run sandbox:record first, or write a policy there");
        }
        Policy policy = merge(committed, recording);
        Map<Arch, Map<String, Long>> weights = new TreeMap<>();
        recording.ifPresent(r -> policy.architectures().forEach(arch -> weights.put(arch, r.syscallCounts(arch))));
        Map<Arch, Program> programs = compiler.compile(policy, weights);

        Map<Path, byte[]> outputs = new LinkedHashMap<>();
        Path out = request.outputDirectory();
        // A container runtime makes a few calls of its own between installing the filter and starting the
        // application; the exports for container runtimes allow those the policy says nothing about.
        Policy forContainers = DockerPolicies.enforcing(policy);
        outputs.put(out.resolve(SECCOMP_JSON), utf8(DockerProfile.write(forContainers)));
        KubernetesProfile.Export kubernetes = KubernetesProfile.write(forContainers, request.profileName());
        kubernetes.warnings().forEach(w -> console.warn(KUBERNETES_YAML + ": " + w));
        outputs.put(out.resolve(KUBERNETES_YAML), utf8(kubernetes.yaml()));
        outputs.put(out.resolve(EFFECTIVE_POLICY), utf8(PolicyFormat.write(policy)));
        List<ProgramStats> stats = new ArrayList<>();
        programs.forEach((arch, program) -> {
            outputs.put(out.resolve(bpfName(arch)), program.toBytes());
            outputs.put(out.resolve("seccomp-" + arch.id() + ".txt"), utf8(Disassembler.listing(program, arch)));
            stats.add(stats(policy, arch, program, weights.get(arch)));
        });

        PolicyDiff diff = PolicyDiff.between(committed.map(LoadedPolicy::policy).orElseGet(() -> emptyLike(policy)), policy);
        if (request.update()) {
            outputs.put(request.policy(), utf8(PolicyFormat.write(policy)));
        }
        outputs.put(out.resolve(REPORT), utf8(HtmlReport.render(report(request, policy, recording, diff))));
        List<Path> written = write(outputs);
        summarize(stats, written, out);
        if (request.update()) {
            report(request.policy(), diff);
        } else if (committed.isPresent() && !diff.isEmpty()) {
            console.info("The recordings add to the committed policy (see " + out.resolve(REPORT)
                    + "); run with -Dsandbox.update to write them into " + request.policy());
        }
        return new Result(policy, recording, stats, diff, written);
    }

    private ReportInput report(Request request, Policy policy, Optional<Recording> recording, PolicyDiff diff) {
        ReportInput input = ReportInput.of(request.profileName(), policy).withDiff(diff);
        if (recording.isPresent()) {
            input = input.withRecording(recording.get());
        }
        if (request.compareWith().isPresent()) {
            input = input.withDockerDefault(DockerProfile.read(request.compareWith().get()).policy());
        }
        return input;
    }

    /** The file name of one architecture's raw program. */
    public static String bpfName(Arch arch) {
        return "seccomp-" + arch.id() + ".bpf";
    }

    private Optional<LoadedPolicy> readCommitted(Request request) {
        Path file = request.policy();
        if (!Files.exists(file)) {
            if (request.policyExplicit()) {
                throw new InvalidPolicyException("the policy file does not exist; check the path", Location.of(file), null);
            }
            console.info("No committed policy at " + file + "; compiling the recordings alone");
            return Optional.empty();
        }
        LoadedPolicy loaded = PolicyFiles.read(file, request.capabilities(), PolicyGenerator.Options.defaults());
        loaded.warnings().forEach(console::warn);
        console.info("Policy " + file + " (" + loaded.format().toString().toLowerCase(Locale.ROOT) + " format)");
        return Optional.of(loaded);
    }

    private Optional<Recording> readRecordings(List<Path> files) {
        Recording merged = null;
        for (Path file : files) {
            Recording recording = PolicyFiles.readRecording(file);
            console.info("Recording " + file + " (" + recording.runCount() + " run" + (recording.runCount() == 1 ? "" : "s") + ")");
            merged = merged == null ? recording : merged.merge(recording);
        }
        return Optional.ofNullable(merged);
    }

    private Policy merge(Optional<LoadedPolicy> committed, Optional<Recording> recording) {
        if (recording.isEmpty()) {
            return committed.orElseThrow().policy();
        }
        PolicyGenerator.Options options = committed
                .map(c -> new PolicyGenerator.Options(c.policy().defaultAction(), architecturesOf(c.policy())))
                .orElse(PolicyGenerator.Options.defaults());
        LoadedPolicy generated = PolicyGenerator.generate(recording.get(), options);
        // A recorded call the committed policy already names was warned about there, with its line; once is enough.
        List<String> said = committed.map(LoadedPolicy::warnings).orElse(List.of());
        generated.warnings().stream().filter(w -> said.stream().noneMatch(s -> s.endsWith(": " + w)))
                .forEach(console::warn);
        return committed.map(c -> PolicyMerge.refresh(c.policy(), generated.policy())).orElse(generated.policy());
    }

    private static Set<Arch> architecturesOf(Policy policy) {
        return policy.architectures().isEmpty() ? EnumSet.allOf(Arch.class) : EnumSet.copyOf(policy.architectures());
    }

    private static Policy emptyLike(Policy policy) {
        SortedMap<Arch, List<Rule>> none = new TreeMap<>();
        policy.architectures().forEach(arch -> none.put(arch, List.of()));
        return new Policy(policy.defaultAction(), none, policy.runtimeOptions());
    }

    private static ProgramStats stats(Policy policy, Arch arch, Program program, Map<String, Long> weights) {
        List<Rule> rules = policy.rules(arch);
        int allowed = (int) rules.stream().filter(r -> r.action().permits()).map(Rule::syscall).distinct().count();
        int conditional = (int) rules.stream().filter(r -> !r.unconditional()).count();
        PathAnalysis analysis = PathAnalysis.of(program, arch);
        Map<String, Long> frequencies = weights != null && !weights.isEmpty() ? weights : uniform(rules);
        return new ProgramStats(arch, allowed, conditional, program.length(), analysis.worst(), analysis.weighted(frequencies));
    }

    private static Map<String, Long> uniform(List<Rule> rules) {
        Map<String, Long> weights = new TreeMap<>();
        rules.stream().filter(r -> r.action().permits()).forEach(r -> weights.put(r.syscall(), 1L));
        return weights;
    }

    private static List<Path> write(Map<Path, byte[]> outputs) {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<Path, byte[]> output : outputs.entrySet()) {
            try {
                AtomicFiles.write(output.getKey(), output.getValue());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + output.getKey() + ": " + e.getMessage(), e);
            }
            written.add(output.getKey());
        }
        return written;
    }

    private void summarize(List<ProgramStats> stats, List<Path> written, Path out) {
        TextTable table = TextTable.of("arch", "allowed", "with args", "program", "worst path", "avg path");
        for (ProgramStats s : stats) {
            table.row(s.arch().id(), s.allowed(), s.conditional(), s.length(), s.worst(),
                    String.format(Locale.ROOT, "%.2f", s.average()));
        }
        console.info("Seccomp policy compiled into " + out + " (" + written.size() + " files):");
        table.lines().forEach(console::info);
    }

    private void report(Path policyFile, PolicyDiff diff) {
        if (diff.isEmpty()) {
            console.info("Policy " + policyFile + " is up to date");
            return;
        }
        console.info("Policy " + policyFile + " updated:");
        Stream.of(diff.render().split("\n")).forEach(console::info);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
