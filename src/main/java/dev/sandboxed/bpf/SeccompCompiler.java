package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import static dev.sandboxed.bpf.Opcodes.JEQ;

/**
 * Compiles a {@link Policy} into one seccomp program per architecture, deciding every call exactly as
 * {@link Policy#decide} does.
 *
 * <p>Layout: load {@code arch} and kill any other ABI; load {@code nr} and walk a search tree over the whole
 * unsigned number line, whose ranges already hold the x32 numbers (killed), the numbers above the table
 * ({@code ENOSYS}) and {@code -1} ({@code ENOSYS}), so those checks cost nothing extra; then, for syscalls with
 * argument rules, a block comparing the arguments. The tree is planned by {@link DispatchPlanner} from expected
 * call frequencies: from a recording when given, else every syscall the policy names counts once.
 *
 * <p>Every syscall allowed without conditions is reached by loading only {@code nr} and {@code arch}, comparing
 * with constants and ending in {@code RET ALLOW}, which lets kernels from 5.11 on cache the verdict and skip the
 * filter for it entirely (see {@link KernelCache}).
 *
 * <p>The depth slack trades the longest path against the expected one. With no slack the tree is as shallow as
 * possible; each level of slack lets hot syscalls move nearer the root at the cost of one more comparison on some
 * cold path. Both cannot be minimal at once: a tree that settles the hottest syscalls in one or two comparisons
 * leaves little room within the remaining depth for the rest ({@link DispatchPlanner} gives the bound and what it
 * leaves open).
 */
public final class SeccompCompiler {

    /**
     * One level: enough to lift the hottest syscalls of a recording to the top of the tree (most of the gain),
     * while the longest path stays within one comparison of the shortest possible.
     */
    public static final int DEFAULT_DEPTH_SLACK = 1;

    private static final int NR_OFFSET = 0;
    private static final int ARCH_OFFSET = 4;

    private final int depthSlack;

    public SeccompCompiler() {
        this(DEFAULT_DEPTH_SLACK);
    }

    /** @param depthSlack how many comparisons deeper than the shallowest possible tree a path may go, 0 or more */
    public SeccompCompiler(int depthSlack) {
        if (depthSlack < 0 || depthSlack > 16) {
            throw new IllegalArgumentException("depth slack " + depthSlack + " is out of range 0 to 16");
        }
        this.depthSlack = depthSlack;
    }

    /** One program for each architecture the policy covers, weighting every syscall the policy names alike. */
    public Map<Arch, Program> compile(Policy policy) {
        return compile(policy, Map.of());
    }

    /**
     * @param weights per architecture, how often each syscall (by name) was seen; an architecture missing from
     *                the map, or mapped to no counts, weights every syscall the policy names alike
     */
    public Map<Arch, Program> compile(Policy policy, Map<Arch, Map<String, Long>> weights) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(weights, "weights");
        Map<Arch, Program> programs = new EnumMap<>(Arch.class);
        for (Arch arch : policy.architectures()) {
            programs.put(arch, compile(policy, arch, weights.getOrDefault(arch, Map.of())));
        }
        return Collections.unmodifiableMap(programs);
    }

    /**
     * @param weights how often each syscall (by name) was seen; when empty, every syscall the policy names counts
     *                once
     */
    public Program compile(Policy policy, Arch arch, Map<String, Long> weights) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(weights, "weights");
        return new ArchCompilation(policy, arch, weights).program();
    }

    /** The work for one architecture. */
    private final class ArchCompilation {
        private final Policy policy;
        private final Arch arch;
        private final SyscallTable table;
        private final Map<String, List<Rule>> rulesBySyscall = new HashMap<>();
        private final Map<String, Long> weights;
        private final List<Target> targets = new ArrayList<>();
        private final Map<Target, Integer> targetIds = new HashMap<>();
        private final ProgramBuilder builder = new ProgramBuilder();
        private final Map<Action, Label> returns = new LinkedHashMap<>();
        private final Map<Integer, Label> blocks = new TreeMap<>();

        ArchCompilation(Policy policy, Arch arch, Map<String, Long> weights) {
            this.policy = policy;
            this.arch = arch;
            this.table = SyscallTable.of(arch);
            for (Rule rule : policy.rules(arch)) {
                rulesBySyscall.computeIfAbsent(rule.syscall(), name -> new ArrayList<>()).add(rule);
            }
            this.weights = weights;
        }

        Program program() {
            DispatchNode tree = DispatchPlanner.plan(ranges(), depthSlack);
            Label kill = returnLabel(Action.killProcess());
            builder.emit(Instruction.loadWord(ARCH_OFFSET));
            if (tree instanceof DispatchNode.Leaf leaf) {
                builder.jump(JEQ, arch.auditArch(), label(leaf.target()), kill);
            } else {
                Label dispatch = builder.newLabel("dispatch");
                builder.jump(JEQ, arch.auditArch(), dispatch, kill)
                        .bind(dispatch)
                        .emit(Instruction.loadWord(NR_OFFSET));
                emitTree((DispatchNode.Branch) tree);
            }
            for (Map.Entry<Integer, Label> block : new ArrayList<>(blocks.entrySet())) {
                builder.bind(block.getValue());
                emitGuarded((Target.Guarded) targets.get(block.getKey()));
            }
            for (Map.Entry<Action, Label> ret : returns.entrySet()) {
                builder.bind(ret.getValue()).ret(ret.getKey().seccompReturn());
            }
            return builder.build();
        }

        /** The whole unsigned number line cut into ranges of equal target, in order. */
        private List<NumberRange> ranges() {
            List<NumberRange> ranges = new ArrayList<>();
            int max = table.maxNumber();
            for (int nr = 0; nr <= max; nr++) {
                Optional<String> name = table.name(nr);
                Target target = name.map(this::targetOf).orElse(new Target.Verdict(policy.defaultAction()));
                add(ranges, nr, nr, target, name.map(this::weightOf).orElse(0.0));
            }
            long[] cuts = arch == Arch.X86_64
                    ? new long[] {max + 1L, Arch.X32_SYSCALL_BIT, 0x8000_0000L, 0xc000_0000L, NumberRange.MAX}
                    : new long[] {max + 1L, NumberRange.MAX};
            for (int i = 0; i < cuts.length; i++) {
                long first = cuts[i];
                long last = i + 1 < cuts.length ? cuts[i + 1] - 1 : NumberRange.MAX;
                if (first <= last && first > max) {
                    add(ranges, first, last, beyondTable(first), 0);
                }
            }
            return keepHotApart(ranges);
        }

        /**
         * Cuts a hot syscall out of a range whose other numbers are cold (epoll_wait among the epoll calls), so that
         * the planner can take it out with one {@code JEQ}; a range that stays hot without it keeps it.
         */
        private List<NumberRange> keepHotApart(List<NumberRange> ranges) {
            double total = ranges.stream().mapToDouble(NumberRange::weight).sum();
            List<NumberRange> kept = new ArrayList<>(ranges.size());
            for (NumberRange range : ranges) {
                long hottest = -1;
                double most = 0;
                for (long nr = range.first(); !range.single() && nr <= Math.min(range.last(), table.maxNumber()); nr++) {
                    double weight = table.name((int) nr).map(this::weightOf).orElse(0.0);
                    if (weight > most) {
                        most = weight;
                        hottest = nr;
                    }
                }
                if (hottest < 0 || !DispatchPlanner.hot(most, total) || DispatchPlanner.hot(range.weight() - most, total)) {
                    kept.add(range);
                    continue;
                }
                double before = 0;
                for (long nr = range.first(); nr < hottest; nr++) {
                    before += table.name((int) nr).map(this::weightOf).orElse(0.0);
                }
                if (hottest > range.first()) {
                    kept.add(new NumberRange(range.first(), hottest - 1, range.target(), before));
                }
                kept.add(new NumberRange(hottest, hottest, range.target(), most));
                if (hottest < range.last()) {
                    kept.add(new NumberRange(hottest + 1, range.last(), range.target(), range.weight() - most - before));
                }
            }
            return kept;
        }

        private void add(List<NumberRange> ranges, long first, long last, Target target, double weight) {
            int id = targetIds.computeIfAbsent(target, t -> {
                targets.add(t);
                return targets.size() - 1;
            });
            if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).target() == id) {
                NumberRange previous = ranges.remove(ranges.size() - 1);
                ranges.add(new NumberRange(previous.first(), last, id, previous.weight() + weight));
            } else {
                ranges.add(new NumberRange(first, last, id, weight));
            }
        }

        /** Numbers the table does not reach: x32 calls are killed, the rest are newer syscalls (or -1). */
        private Target beyondTable(long number) {
            boolean x32 = arch == Arch.X86_64 && (number & Arch.X32_SYSCALL_BIT) != 0 && number != NumberRange.MAX;
            if (x32) {
                return new Target.Verdict(Action.killProcess());
            }
            Action fallback = policy.defaultAction();
            return new Target.Verdict(fallback.permits() ? fallback : Action.errno(Policy.ENOSYS));
        }

        private double weightOf(String name) {
            if (weights.isEmpty()) {
                return rulesBySyscall.containsKey(name) ? 1 : 0;
            }
            return weights.getOrDefault(name, 0L);
        }

        /** The rules of one syscall in the model's order, minus conditions that always hold and rules that never match. */
        private Target targetOf(String name) {
            Action fallback = policy.defaultAction();
            List<Target.Guard> guards = new ArrayList<>();
            for (Rule rule : rulesBySyscall.getOrDefault(name, List.of())) {
                List<Condition> conditions = new ArrayList<>();
                boolean never = false;
                for (Condition condition : rule.conditions()) {
                    Optional<Boolean> constant = ConditionEmitter.constant(condition);
                    if (constant.isEmpty()) {
                        conditions.add(condition);
                    } else if (!constant.get()) {
                        never = true;
                    }
                }
                if (never) {
                    continue;
                }
                if (conditions.isEmpty()) {
                    fallback = rule.action();
                    break;
                }
                guards.add(new Target.Guard(conditions, rule.action()));
            }
            // A last rule leading where no rule leads changes nothing.
            while (!guards.isEmpty() && guards.get(guards.size() - 1).action().equals(fallback)) {
                guards.remove(guards.size() - 1);
            }
            return guards.isEmpty() ? new Target.Verdict(fallback) : new Target.Guarded(guards, fallback);
        }

        private Label returnLabel(Action action) {
            return returns.computeIfAbsent(action, a -> builder.newLabel("ret-" + a));
        }

        private Label label(int target) {
            if (targets.get(target) instanceof Target.Verdict verdict) {
                return returnLabel(verdict.action());
            }
            return blocks.computeIfAbsent(target, id -> builder.newLabel("args"));
        }

        private void emitTree(DispatchNode.Branch branch) {
            Label ifTrue = branch.ifTrue() instanceof DispatchNode.Leaf leaf ? label(leaf.target()) : builder.newLabel("node");
            Label ifFalse = branch.ifFalse() instanceof DispatchNode.Leaf leaf ? label(leaf.target()) : builder.newLabel("node");
            builder.jump(branch.operation(), branch.constant(), ifTrue, ifFalse);
            List<Map.Entry<Label, DispatchNode.Branch>> children = new ArrayList<>();
            if (branch.ifTrue() instanceof DispatchNode.Branch child) {
                children.add(Map.entry(ifTrue, child));
            }
            if (branch.ifFalse() instanceof DispatchNode.Branch child) {
                children.add(Map.entry(ifFalse, child));
            }
            // The smaller subtree first keeps the jump over it short, clear of trampolines.
            if (children.size() == 2 && size(children.get(1).getValue()) < size(children.get(0).getValue())) {
                Collections.reverse(children);
            }
            for (Map.Entry<Label, DispatchNode.Branch> child : children) {
                builder.bind(child.getKey());
                emitTree(child.getValue());
            }
        }

        private int size(DispatchNode node) {
            return node instanceof DispatchNode.Branch branch ? 1 + size(branch.ifTrue()) + size(branch.ifFalse()) : 0;
        }

        private void emitGuarded(Target.Guarded guarded) {
            // Conditions never compare nr, so what A holds on entry does not matter.
            int accumulator = ConditionEmitter.UNKNOWN;
            List<Target.Guard> guards = guarded.guards();
            for (int g = 0; g < guards.size(); g++) {
                boolean last = g == guards.size() - 1;
                Label fail = last ? returnLabel(guarded.fallback()) : builder.newLabel("next-rule");
                accumulator = emitGuard(guards.get(g), fail, accumulator);
                if (!last) {
                    builder.bind(fail);
                }
            }
        }

        /** Returns what A holds where control reaches {@code fail}. */
        private int emitGuard(Target.Guard guard, Label fail, int accumulator) {
            List<Condition> conditions = guard.conditions();
            int atFail = 0;
            for (int c = 0; c < conditions.size(); c++) {
                boolean last = c == conditions.size() - 1;
                Label pass = last ? returnLabel(guard.action()) : builder.newLabel("next-condition");
                ConditionEmitter.Registers registers =
                        ConditionEmitter.emit(builder, conditions.get(c), pass, fail, accumulator);
                // Several conditions jump to the same fail label; A is known there only if they all agree.
                atFail = c == 0 || atFail == registers.atFail() ? registers.atFail() : ConditionEmitter.UNKNOWN;
                if (!last) {
                    builder.bind(pass);
                }
                accumulator = registers.atPass();
            }
            return atFail;
        }
    }
}
