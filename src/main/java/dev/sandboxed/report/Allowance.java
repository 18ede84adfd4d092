package dev.sandboxed.report;

import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How far a policy lets one system call through, whatever its rules look like. Counting "allowed syscalls" by rules
 * would miscount a deny-list policy (default allow, a few denials), an allow rule shadowed by an unconditional
 * denial, and a call allowed only for some argument values; this follows {@link Policy}'s precedence instead, so
 * the summary and the Docker comparison count what the filter actually lets through.
 */
public enum Allowance {
    /** Allowed whatever the arguments. */
    ALLOWED,
    /** Allowed for some argument values only. */
    CONDITIONAL,
    /** Never allowed. */
    DENIED;

    public boolean permitsSome() {
        return this != DENIED;
    }

    public static Allowance of(Policy policy, Arch arch, String syscall) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(syscall, "syscall");
        if (!policy.architectures().contains(arch) || !SyscallTable.of(arch).contains(syscall)) {
            return DENIED;
        }
        return decide(policy, policy.rules(arch, syscall));
    }

    /** Every syscall of the architecture the policy lets through at least for some arguments. */
    public static SortedSet<String> permitted(Policy policy, Arch arch) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(arch, "arch");
        SortedSet<String> names = new TreeSet<>();
        if (!policy.architectures().contains(arch)) {
            return names;
        }
        Map<String, List<Rule>> bySyscall = new HashMap<>();
        policy.rules(arch).forEach(rule -> bySyscall.computeIfAbsent(rule.syscall(), s -> new ArrayList<>()).add(rule));
        for (String name : SyscallTable.of(arch).names()) {
            if (decide(policy, bySyscall.getOrDefault(name, List.of())).permitsSome()) {
                names.add(name);
            }
        }
        return names;
    }

    private static Allowance decide(Policy policy, List<Rule> rules) {
        // The most restrictive matching rule wins, and allow and log are the least restrictive kinds: an
        // unconditional denial therefore overrules every allow rule, and a conditional one carves values out.
        if (rules.stream().anyMatch(rule -> rule.unconditional() && !rule.action().permits())) {
            return DENIED;
        }
        boolean someDenied = rules.stream().anyMatch(rule -> !rule.action().permits());
        boolean allAllowed = policy.defaultAction().permits()
                || rules.stream().anyMatch(rule -> rule.unconditional() && rule.action().permits());
        boolean someAllowed = allAllowed || rules.stream().anyMatch(rule -> rule.action().permits());
        if (!someAllowed) {
            return DENIED;
        }
        return allAllowed && !someDenied ? ALLOWED : CONDITIONAL;
    }
}
