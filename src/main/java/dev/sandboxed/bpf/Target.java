package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;

import java.util.List;

/**
 * What the filter does once it knows the syscall number: return at once, or first look at the arguments.
 * Equal targets are shared, so syscalls with the same rules share one block of code.
 */
sealed interface Target permits Target.Verdict, Target.Guarded {

    record Verdict(Action action) implements Target {
    }

    /**
     * Argument rules tried in order, the first whose conditions all hold deciding.
     *
     * @param guards at least one; each with at least one condition
     * @param fallback the action when no guard holds
     */
    record Guarded(List<Guard> guards, Action fallback) implements Target {

        public Guarded {
            guards = List.copyOf(guards);
        }
    }

    /** A rule stripped of its syscall name: conditions that must all hold, and the action they lead to. */
    record Guard(List<Condition> conditions, Action action) {

        public Guard {
            conditions = List.copyOf(conditions);
        }
    }
}
