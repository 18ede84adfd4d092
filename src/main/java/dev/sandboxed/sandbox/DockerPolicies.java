package dev.sandboxed.sandbox;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The policy as a container run needs it. runc installs the filter in its own init process and only then executes
 * the application, and in between it makes a few calls of its own (it checks {@code /proc/self/fd} with
 * {@code fstatfs}, marks descriptors close-on-exec, changes to the working directory, and its Go runtime polls and
 * schedules). A policy recorded from the application alone need not allow them, and refusing them stops the
 * container before the application starts ("ensure /proc/self/fd is on procfs: operation not permitted"). So each of
 * them the policy says nothing about is allowed; a profile deployed with Docker needs the same.
 */
public final class DockerPolicies {

    /** What runc 1.1's init does between installing the filter and {@code execve}, including its Go runtime. */
    public static final SortedSet<String> RUNTIME_CALLS = new TreeSet<>(Set.of("chdir", "close", "epoll_ctl",
            "epoll_pwait", "execve", "exit_group", "fcntl", "fstat", "fstatfs", "futex", "getdents64", "getpid",
            "gettid", "madvise", "mmap", "munmap", "nanosleep", "newfstatat", "openat", "read", "rt_sigprocmask",
            "rt_sigreturn", "sched_yield", "sigaltstack", "tgkill", "write"));

    private static final String RUNTIME_REASON = "the container runtime (runc) makes this call after installing the"
            + " filter, before it starts the application";

    private DockerPolicies() {
    }

    /** The calls of {@link #RUNTIME_CALLS} the policy has no rule for on {@code arch}, which {@link #enforcing} adds. */
    public static SortedSet<String> added(Policy policy, Arch arch) {
        SortedSet<String> added = new TreeSet<>();
        SyscallTable table = SyscallTable.of(arch);
        for (String syscall : RUNTIME_CALLS) {
            if (table.contains(syscall) && policy.rules(arch, syscall).isEmpty() && !policy.defaultAction().permits()) {
                added.add(syscall);
            }
        }
        return added;
    }

    /** The policy with the runtime's calls allowed where it has no rule for them. */
    public static Policy enforcing(Policy policy) {
        SortedMap<Arch, List<Rule>> rules = new TreeMap<>();
        policy.rules().forEach((arch, list) -> {
            List<Rule> all = new ArrayList<>(list);
            added(policy, arch).forEach(syscall -> all.add(Rule.allow(syscall, RUNTIME_REASON)));
            rules.put(arch, all);
        });
        return new Policy(policy.defaultAction(), rules, policy.runtimeOptions());
    }

    /**
     * {@link #enforcing} with every refusal, the default included, turned into {@code log}: the kernel logs each
     * call the policy would refuse and lets it through. Deliberate answers ({@link Policy#isDeliberateAnswer}) stay. Calls through foreign ABIs stay killed (the engine's filter
     * knows only the listed architectures), and the kill is logged too.
     */
    public static Policy complaining(Policy policy) {
        Policy enforced = enforcing(policy);
        SortedMap<Arch, List<Rule>> rules = new TreeMap<>();
        enforced.rules().forEach((arch, list) -> rules.put(arch, list.stream()
                .map(rule -> rule.action().permits() || enforced.isDeliberateAnswer(rule.action()) ? rule
                        : new Rule(rule.syscall(), Action.log(), rule.conditions(), rule.reason()))
                .toList()));
        Action defaultAction = enforced.defaultAction().permits() ? enforced.defaultAction() : Action.log();
        return new Policy(defaultAction, rules, enforced.runtimeOptions());
    }
}
