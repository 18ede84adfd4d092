package dev.sandboxed.policy;

import java.util.List;
import java.util.Objects;

/**
 * One decision about one system call: when all its conditions hold (or it has none), the call gets its action.
 *
 * @param syscall the syscall name in the architecture's own table
 * @param action what happens to matching calls
 * @param conditions all must hold; sorted, so equal rules compare equal however they were written
 * @param reason why the rule exists, for code review and for violation reports; may be empty
 */
public record Rule(String syscall, Action action, List<Condition> conditions, String reason) implements Comparable<Rule> {

    public Rule {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(conditions, "conditions");
        Objects.requireNonNull(reason, "reason");
        conditions = conditions.stream().distinct().sorted().toList();
    }

    public static Rule of(String syscall, Action action, String reason, Condition... conditions) {
        return new Rule(syscall, action, List.of(conditions), reason);
    }

    public static Rule allow(String syscall, String reason) {
        return new Rule(syscall, Action.allow(), List.of(), reason);
    }

    public boolean unconditional() {
        return conditions.isEmpty();
    }

    public boolean matches(long[] args) {
        for (Condition condition : conditions) {
            if (!condition.matches(args[condition.index()])) {
                return false;
            }
        }
        return true;
    }

    public Rule withReason(String newReason) {
        return new Rule(syscall, action, conditions, newReason);
    }

    /** By syscall, then most restrictive action first, then conditions: the order rules are evaluated in. */
    @Override
    public int compareTo(Rule other) {
        int c = syscall.compareTo(other.syscall);
        if (c == 0) c = action.compareTo(other.action);
        if (c == 0) c = compareConditions(conditions, other.conditions);
        return c;
    }

    private static int compareConditions(List<Condition> a, List<Condition> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public String toString() {
        return syscall + (conditions.isEmpty() ? "" : " " + conditions) + " -> " + action;
    }
}
