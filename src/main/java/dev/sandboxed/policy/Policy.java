package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable seccomp policy: a default action and, per architecture, the rules that override it.
 *
 * <p><b>Precedence.</b> For a call on a known architecture, every rule of that syscall whose conditions all hold
 * is a candidate, and the most restrictive candidate wins, in the kernel's own order (kill-process, kill-thread,
 * trap, errno, user-notif, trace, log, allow; equal kinds by smaller data). The result therefore never depends on
 * the order rules were written in. With no candidate, the default action applies. Two rules with the same syscall
 * and the same conditions but different actions contradict each other and are refused.
 *
 * <p><b>Outside the rules.</b> A call from an architecture the policy does not cover (i386 via {@code int 0x80},
 * arm32, or anything else) and an x32 call on x86_64 are killed: they are how filters get bypassed. A number above
 * the highest one the architecture's table knows gets {@code ENOSYS} unless the default permits, so that a newer
 * libc falls back to an older call instead of failing (moby#42680, runc#2151). {@code nr == -1}, which tracers
 * use to skip a call, is such a number and so is never killed.
 */
public record Policy(Action defaultAction, SortedMap<Arch, List<Rule>> rules, RuntimeOptions runtimeOptions) {

    public static final int ENOSYS = 38;

    public Policy {
        Objects.requireNonNull(defaultAction, "defaultAction");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(runtimeOptions, "runtimeOptions");
        SortedMap<Arch, List<Rule>> copy = new TreeMap<>();
        rules.forEach((arch, list) -> copy.put(Objects.requireNonNull(arch, "arch"), normalize(arch, list)));
        rules = Collections.unmodifiableSortedMap(copy);
    }

    public static Policy of(Action defaultAction, Map<Arch, List<Rule>> rules) {
        return new Policy(defaultAction, new TreeMap<>(rules), RuntimeOptions.none());
    }

    public List<Rule> rules(Arch arch) {
        return rules.getOrDefault(arch, List.of());
    }

    public java.util.Set<Arch> architectures() {
        return rules.keySet();
    }

    /** All rules of one syscall on one architecture, most restrictive first. */
    public List<Rule> rules(Arch arch, String syscall) {
        return rules(arch).stream().filter(rule -> rule.syscall().equals(syscall)).toList();
    }

    public Policy withRuntimeOptions(RuntimeOptions options) {
        return new Policy(defaultAction, rules, options);
    }

    /** Decides one call exactly as a correct compiled filter must; the reference the compiler is tested against. */
    public Action decide(SeccompData data) {
        Optional<Arch> arch = Arch.fromAuditArch(data.arch());
        if (arch.isEmpty() || !rules.containsKey(arch.get())) {
            return Action.killProcess();
        }
        int nr = data.nr();
        if (arch.get() == Arch.X86_64 && (nr & Arch.X32_SYSCALL_BIT) != 0 && nr != -1) {
            return Action.killProcess();
        }
        SyscallTable table = SyscallTable.of(arch.get());
        if (Integer.compareUnsigned(nr, table.maxNumber()) > 0) {
            return defaultAction.permits() ? defaultAction : Action.errno(ENOSYS);
        }
        Optional<String> name = table.name(nr);
        if (name.isEmpty()) {
            return defaultAction;
        }
        long[] args = data.args();
        for (Rule rule : rules(arch.get(), name.get())) {
            if (rule.matches(args)) {
                return rule.action();
            }
        }
        return defaultAction;
    }

    private static List<Rule> normalize(Arch arch, List<Rule> list) {
        Map<String, Rule> byKey = new HashMap<>();
        List<Rule> unique = new ArrayList<>();
        for (Rule rule : list) {
            Objects.requireNonNull(rule, "rule");
            String key = rule.syscall() + " " + rule.conditions();
            Rule earlier = byKey.putIfAbsent(key, rule);
            if (earlier == null) {
                unique.add(rule);
            } else if (!earlier.action().equals(rule.action())) {
                throw new InvalidPolicyException("contradicting rules on " + arch.id() + ": " + earlier
                        + " and " + rule + "; keep one of them");
            }
        }
        Collections.sort(unique);
        return List.copyOf(unique);
    }

    /**
     * Whether a refusing action is a rule's deliberate answer rather than a refusal: an errno other than the default
     * one, like {@code clone3 errno(ENOSYS)}, which makes libc fall back to {@code clone}. {@code verify} neither
     * reports such calls as violations nor lets them through in complain mode: they are the policy working as written.
     */
    public boolean isDeliberateAnswer(Action action) {
        return action.kind() == Action.Kind.ERRNO && !action.equals(defaultAction);
    }

    /** Counts allowed syscalls, for summaries. */
    public Map<Arch, Integer> unconditionallyAllowedCounts() {
        Map<Arch, Integer> counts = new EnumMap<>(Arch.class);
        rules.forEach((arch, list) -> counts.put(arch, (int) list.stream()
                .filter(rule -> rule.unconditional() && rule.action().permits()).count()));
        return counts;
    }
}
