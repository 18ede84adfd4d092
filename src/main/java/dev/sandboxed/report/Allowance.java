package dev.sandboxed.report;

import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.List;
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
        List<Rule> rules = policy.rules(arch, syscall);
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

    /** Every syscall of the architecture the policy lets through at least for some arguments. */
    public static SortedSet<String> permitted(Policy policy, Arch arch) {
        SortedSet<String> names = new TreeSet<>();
        for (String name : SyscallTable.of(arch).names()) {
            if (of(policy, arch, name).permitsSome()) {
                names.add(name);
            }
        }
        return names;
    }
}
