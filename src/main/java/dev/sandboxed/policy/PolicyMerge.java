package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The union of two policies, for combining what separate recordings (test suites, entry points, machines) each
 * proved necessary. Recordings themselves merge with {@link Recording#merge}, which keeps more evidence; this is
 * for when only the policies are at hand.
 *
 * <p>Every rule of either policy is kept. Where both have a rule for the same syscall under the same conditions
 * with different actions, the less restrictive one is kept, since a union must not take away what either policy
 * allowed; with equal actions the first policy's rule (and reason) is kept. Both policies must have the same
 * default action — a union of "deny by default" and "allow by default" has no sensible meaning, so it is refused.
 * Note that rules of one syscall under <em>different</em> conditions still resolve most-restrictive-first (see
 * {@link Policy}), so a narrow deny of one policy can still override a broad allow of the other.
 */
public final class PolicyMerge {

    private PolicyMerge() {
    }

    public static Policy merge(Policy first, Policy second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (!first.defaultAction().equals(second.defaultAction())) {
            throw new InvalidPolicyException("cannot merge policies with different default actions ("
                    + first.defaultAction() + " and " + second.defaultAction() + "); make them the same first");
        }
        SortedMap<Arch, List<Rule>> merged = new TreeMap<>();
        SortedSet<Arch> arches = new TreeSet<>(first.architectures());
        arches.addAll(second.architectures());
        for (Arch arch : arches) {
            Map<String, Rule> byKey = new LinkedHashMap<>();
            for (Policy policy : List.of(first, second)) {
                for (Rule rule : policy.rules(arch)) {
                    byKey.merge(rule.syscall() + " " + rule.conditions(), rule,
                            (kept, other) -> other.action().compareTo(kept.action()) > 0 ? other : kept);
                }
            }
            merged.put(arch, new ArrayList<>(byKey.values()));
        }
        return new Policy(first.defaultAction(), merged, runtimeOptions(first.runtimeOptions(), second.runtimeOptions()));
    }

    /**
     * Adds what a recording proved necessary to a committed, reviewed policy. Unlike {@link #merge}, a syscall the
     * committed policy denies (any rule of it whose action does not let the call proceed) keeps exactly the
     * committed rules: a reviewer's decision to answer {@code clone3} with ENOSYS, or to refuse a call outright,
     * must survive a refresh; the recording may only add what the committed policy says nothing about or allows.
     */
    public static Policy refresh(Policy committed, Policy recorded) {
        Objects.requireNonNull(committed, "committed");
        Objects.requireNonNull(recorded, "recorded");
        SortedMap<Arch, List<Rule>> additions = new TreeMap<>();
        for (Arch arch : recorded.architectures()) {
            Set<String> reviewed = new TreeSet<>();
            committed.rules(arch).stream().filter(rule -> !rule.action().permits()).forEach(rule -> reviewed.add(rule.syscall()));
            additions.put(arch, recorded.rules(arch).stream().filter(rule -> !reviewed.contains(rule.syscall())).toList());
        }
        return merge(committed, new Policy(recorded.defaultAction(), additions, recorded.runtimeOptions()));
    }

    private static RuntimeOptions runtimeOptions(RuntimeOptions a, RuntimeOptions b) {
        SortedSet<String> flags = new TreeSet<>(a.flags());
        flags.addAll(b.flags());
        return new RuntimeOptions(flags, either("listenerPath", a.listenerPath(), b.listenerPath()),
                either("listenerMetadata", a.listenerMetadata(), b.listenerMetadata()));
    }

    private static String either(String what, String a, String b) {
        if (!a.isEmpty() && !b.isEmpty() && !a.equals(b)) {
            throw new InvalidPolicyException("cannot merge policies with different " + what + " (\"" + a + "\" and \""
                    + b + "\"); make them the same first");
        }
        return a.isEmpty() ? b : a;
    }
}
