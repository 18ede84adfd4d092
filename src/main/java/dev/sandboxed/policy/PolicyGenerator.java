package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives the least-privilege policy a recording supports: every recorded syscall allowed, and the risky ones
 * only with the argument values that were seen.
 *
 * <ul>
 *   <li>{@code socket}: one rule per address family seen (argument 0).</li>
 *   <li>{@code ioctl}: one rule per request seen (argument 1); {@code prctl}: per option (argument 0);
 *       {@code personality}: per persona (argument 0).</li>
 *   <li>{@code clone}: the namespace flags ({@code CLONE_NEW*}) never seen must be clear, so a process that
 *       never made a namespace cannot start making them; {@code clone3}, whose flags sit in memory a filter cannot
 *       read, is always answered {@code errno(ENOSYS)}, so libc falls back to {@code clone}; the flags recorded
 *       for {@code clone3} count as {@code clone}'s evidence. When the recording shows threads only (every
 *       {@code clone} with {@code CLONE_THREAD}, no {@code fork} or {@code vfork}, no {@code execve} beyond each
 *       run's first), {@code CLONE_THREAD} must also be set: an application that never started a process cannot
 *       start one, a shell included, even though {@code execve} is allowed for its own start.</li>
 *   <li>{@code mmap}, {@code mprotect}, {@code pkey_mprotect}: {@code PROT_EXEC} must be clear unless it was
 *       seen, so an application that never mapped code cannot start doing so.</li>
 *   <li>Signals ({@code kill}, {@code tkill}, {@code tgkill}) are not narrowed: which signal a JVM sends depends
 *       on events a test run rarely triggers (thread dumps, shutdown, crash handling), so a narrowed rule would fail
 *       in production while adding little — the danger of a signal lies in its target, which a filter cannot
 *       judge.</li>
 * </ul>
 *
 * Where the recording holds no values for the deciding argument (a tracer that does not decode it), the syscall is
 * allowed without conditions and the reason says why: a guessed restriction would break the application. Each
 * rule's reason records the evidence: {@code recorded: 1234 calls in 3/3 runs by /usr/bin/java}.
 *
 * <p>Architectures the recording does not cover get the rules of the first recorded one (in {@link Arch} order)
 * translated exactly as a policy file translates its rules (see {@link PolicyFormat}), so the file written from
 * the result needs no overrides.
 */
public final class PolicyGenerator {

    /** Made by the kernel, never by a program, so a recording of a run without a stopped and resumed sleep lacks it. */
    private static final String RESTART = "restart_syscall";

    private static final String NAMESPACE_FLAGS =
            "CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET";

    /** The calls that start a process other than through {@code clone}. */
    private static final Set<String> PROCESS_STARTS = Set.of("fork", "vfork");

    /** Syscalls allowed per value of one argument, and which argument. */
    private static final Map<String, Integer> PER_VALUE = Map.of(
            "socket", 0, "ioctl", 1, "prctl", 0, "personality", 0);

    /** Syscalls whose protection argument must not request executable memory unless that was seen. */
    private static final Map<String, Integer> PROTECTION = Map.of("mmap", 2, "mprotect", 2, "pkey_mprotect", 2);

    /**
     * @param defaultAction what every call outside the recording gets
     * @param architectures the machines the policy is for
     */
    public record Options(Action defaultAction, Set<Arch> architectures) {

        public Options {
            Objects.requireNonNull(defaultAction, "defaultAction");
            if (Objects.requireNonNull(architectures, "architectures").isEmpty()) {
                throw new IllegalArgumentException("architectures must not be empty");
            }
            architectures = Set.copyOf(architectures);
        }

        /** {@code errno(EPERM)} — the application sees a failed call it can report — on every supported machine. */
        public static Options defaults() {
            return new Options(Action.errno(1), EnumSet.allOf(Arch.class));
        }
    }

    private PolicyGenerator() {
    }

    public static LoadedPolicy generate(Recording recording, Options options) {
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(options, "options");
        List<String> warnings = new ArrayList<>();
        if (recording.components().values().stream().allMatch(Map::isEmpty)) {
            throw new InvalidPolicyException("the recording holds no system calls: run the application under "
                    + "sandbox:record first");
        }
        for (int i = 0; i < recording.runs().size(); i++) {
            Run run = recording.runs().get(i);
            if (run.interrupted()) {
                warnings.add("run " + (i + 1) + " (" + run.command() + ") was interrupted; calls it did not reach are "
                        + "missing from the policy");
            }
        }
        Arch base = recording.components().keySet().iterator().next();
        SortedSet<Arch> all = new TreeSet<>(options.architectures());
        all.add(base);
        SortedMap<Arch, List<Rule>> rules = new TreeMap<>();
        for (Arch arch : options.architectures()) {
            if (recording.components().containsKey(arch)) {
                rules.put(arch, recorded(recording, arch, options.defaultAction(), warnings));
            } else {
                List<Rule> baseRules = recorded(recording, base, options.defaultAction(), new ArrayList<>());
                rules.put(arch, PolicyFormat.translate(baseRules, base, arch, all, warnings));
            }
        }
        Policy policy = new Policy(options.defaultAction(), rules, RuntimeOptions.none());
        return new LoadedPolicy(policy, FileFormat.RECORDING, warnings);
    }

    /** One syscall's use merged over every component, with who used it. */
    private record Evidence(long count, int runs, SortedSet<String> executables, SortedMap<Integer, SortedSet<Long>> values) {
    }

    private static List<Rule> recorded(Recording recording, Arch arch, Action defaultAction, List<String> warnings) {
        SortedMap<String, Evidence> evidence = new TreeMap<>();
        for (Component component : recording.components().get(arch).values()) {
            component.syscalls().forEach((name, use) -> {
                Evidence before = evidence.get(name);
                SortedSet<String> executables = new TreeSet<>(before == null ? Set.of() : before.executables);
                executables.add(component.executable());
                SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
                for (Map<Integer, SortedSet<Long>> source : before == null ? List.of(use.argumentValues())
                        : List.of(before.values, use.argumentValues())) {
                    source.forEach((index, set) -> values.computeIfAbsent(index, i -> new TreeSet<>()).addAll(set));
                }
                evidence.put(name, new Evidence((before == null ? 0 : before.count) + use.count(),
                        Math.max(before == null ? 0 : before.runs, use.runsSeen()), executables, values));
            });
        }
        SyscallTable table = SyscallTable.of(arch);
        Evidence clone3 = evidence.remove("clone3");
        if (clone3 != null && table.contains("clone")) {
            // libc tries clone3 first; answered ENOSYS, it falls back to clone with the same flags, which the
            // filter can check. So clone3's recorded flags become clone's evidence.
            evidence.merge("clone", clone3, PolicyGenerator::union);
        }
        boolean threadsOnly = threadsOnly(arch, evidence, recording.runCount());
        List<Rule> rules = new ArrayList<>();
        evidence.forEach((name, seen) -> {
            if (!table.contains(name)) {
                warnings.add("the recording holds " + name + ", which " + arch.id() + " does not have; it is left out");
                return;
            }
            String reason = "recorded: " + seen.count + " call" + (seen.count == 1 ? "" : "s") + " in " + seen.runs
                    + "/" + recording.runCount() + " runs by " + String.join(", ", seen.executables);
            rules.addAll(rulesFor(arch, name, seen, reason, threadsOnly));
        });
        if (!evidence.isEmpty() && !evidence.containsKey(RESTART) && table.contains(RESTART)) {
            rules.add(new Rule(RESTART, Action.allow(), List.of(), "not recorded, as no program calls it: the kernel"
                    + " makes it to resume a call a signal interrupted (a sleep, a poll), which a run may or may not see"));
        }
        if (table.contains("clone3") && !defaultAction.equals(Action.errno(Policy.ENOSYS))) {
            rules.add(new Rule("clone3", Action.errno(Policy.ENOSYS), List.of(), clone3 == null
                    ? "not recorded: its flags cannot be checked, and ENOSYS makes libc fall back to clone"
                    : "recorded " + clone3.count + " calls, but its flags sit in memory a filter cannot read: ENOSYS makes "
                            + "libc fall back to clone, whose flags are checked"));
        }
        return rules;
    }

    /**
     * Whether the recording saw threads started and never a process: every recorded {@code clone} flag word holds
     * {@code CLONE_THREAD}, nothing called {@code fork} or {@code vfork}, and {@code execve} ran at most once a run
     * (the command's own start). Without recorded flags nothing can be concluded.
     */
    private static boolean threadsOnly(Arch arch, Map<String, Evidence> evidence, int runs) {
        Evidence clone = evidence.get("clone");
        if (clone == null || PROCESS_STARTS.stream().anyMatch(evidence::containsKey)) {
            return false;
        }
        long thread = Symbols.evaluate(arch, "CLONE_THREAD");
        SortedSet<Long> flags = clone.values.get(0);
        if (flags == null || flags.isEmpty() || flags.stream().anyMatch(value -> (value & thread) == 0)) {
            return false;
        }
        long execs = 0;
        for (String exec : List.of("execve", "execveat")) {
            Evidence seen = evidence.get(exec);
            execs += seen == null ? 0 : seen.count;
        }
        return execs <= runs;
    }

    private static Evidence union(Evidence a, Evidence b) {
        SortedSet<String> executables = new TreeSet<>(a.executables);
        executables.addAll(b.executables);
        SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
        for (Evidence e : List.of(a, b)) {
            e.values.forEach((index, set) -> values.computeIfAbsent(index, i -> new TreeSet<>()).addAll(set));
        }
        return new Evidence(a.count + b.count, Math.max(a.runs, b.runs), executables, values);
    }

    private static List<Rule> rulesFor(Arch arch, String name, Evidence seen, String reason, boolean threadsOnly) {
        Integer perValue = PER_VALUE.get(name);
        if (perValue != null) {
            SortedSet<Long> values = seen.values.get(perValue);
            if (values == null || values.isEmpty()) {
                return List.of(Rule.allow(name, reason + "; argument " + perValue + " not recorded"));
            }
            Width width = RuleSyntax.abiWidth(arch, name, perValue);
            return values.stream()
                    .map(value -> Rule.of(name, Action.allow(), reason, Condition.of(perValue, Operator.EQ, value, width)))
                    .distinct()
                    .toList();
        }
        if (name.equals("clone")) {
            if (threadsOnly) {
                long unseen = Symbols.evaluate(arch, NAMESPACE_FLAGS) & ~seenFlags(seen, 0);
                long thread = Symbols.evaluate(arch, "CLONE_THREAD");
                return List.of(Rule.of(name, Action.allow(), reason + "; only threads were started, never a process",
                        Condition.masked(0, unseen | thread, thread, RuleSyntax.abiWidth(arch, name, 0))));
            }
            return List.of(maskedUnlessSeen(arch, name, 0, Symbols.evaluate(arch, NAMESPACE_FLAGS), seen, reason));
        }
        Integer protection = PROTECTION.get(name);
        if (protection != null) {
            return List.of(maskedUnlessSeen(arch, name, protection, Symbols.evaluate(arch, "PROT_EXEC"), seen, reason));
        }
        return List.of(Rule.allow(name, reason));
    }

    /** Every bit set in some recorded value of argument {@code index}. */
    private static long seenFlags(Evidence seen, int index) {
        long used = 0;
        for (long value : seen.values.getOrDefault(index, new TreeSet<>())) {
            used |= value;
        }
        return used;
    }

    /** Allows the call with the flags in {@code flags} that were never seen required to be clear. */
    private static Rule maskedUnlessSeen(Arch arch, String name, int index, long flags, Evidence seen, String reason) {
        SortedSet<Long> values = seen.values.get(index);
        if (values == null || values.isEmpty()) {
            return Rule.allow(name, reason + "; argument " + index + " not recorded");
        }
        long unseen = flags & ~seenFlags(seen, index);
        if (unseen == 0) {
            return Rule.allow(name, reason);
        }
        return Rule.of(name, Action.allow(), reason,
                Condition.masked(index, unseen, 0, RuleSyntax.abiWidth(arch, name, index)));
    }
}
