package dev.sandboxed.syscall;

import java.util.List;
import java.util.Objects;

/**
 * What one syscall of architecture {@code from} becomes on architecture {@code to}: the syscalls a program there
 * makes instead, and how much power a policy hands out by allowing them.
 *
 * @param syscall the name on {@code from}
 * @param names the syscalls libc uses on {@code to}, most common first; never empty
 * @param note why the mapping holds and, for {@link Exactness#SUPERSET}, what extra power it grants
 */
public record Equivalent(String syscall, Arch from, Arch to, List<String> names, Exactness exactness, String note) {

    /** How closely the replacement matches the original, from the policy's point of view. */
    public enum Exactness {
        /** The same syscall exists under the same name. */
        IDENTICAL,
        /** A different syscall with the same power. */
        EXACT,
        /** A different syscall that can also do things the original could not, unless its arguments are limited. */
        SUPERSET
    }

    public Equivalent {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        names = List.copyOf(names);
        Objects.requireNonNull(exactness, "exactness");
        Objects.requireNonNull(note, "note");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("an equivalent of " + syscall + " needs at least one name");
        }
    }
}
