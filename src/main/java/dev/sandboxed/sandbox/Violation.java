package dev.sandboxed.sandbox;

import java.util.Collections;
import java.util.Comparator;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A system call the policy did not allow, as observed while verifying, summed over all its occurrences.
 *
 * @param syscall the name; for a call through another ABI the recorder's spelling ({@code i386:359},
 *     {@code x32:socket}), or {@code unknown} when the table has no name for the number
 * @param number the number as the kernel saw it
 * @param arch the architecture id ({@code x86_64}), {@code i386} or {@code arm} for the compat ABI, or the raw
 *     {@code AUDIT_ARCH_*} in hex for anything else
 * @param executable the program that made the call, as the process saw its own path
 * @param action what the policy did about it ({@code log}, {@code errno}, {@code kill-process}, ...)
 * @param count how many times it was observed
 * @param argumentValues per argument index, the raw values seen where they matter; empty when the source cannot see
 *     arguments (the kernel's audit record does not carry them)
 * @param arguments {@code argumentValues} as a person reads them ({@code arg0 = AF_INET}); empty when there are none
 * @param fix what would allow the call: the exact policy line to add, or why no line can; empty until explained
 */
public record Violation(String syscall, int number, String arch, String executable, String action, long count,
                        SortedMap<Integer, SortedSet<Long>> argumentValues, String arguments, String fix) {

    /** Orders by what makes a call distinct (everything but the count and arguments); reports use this order. */
    static final Comparator<Violation> BY_CALL = Comparator.comparing(Violation::arch)
            .thenComparing(Violation::syscall)
            .thenComparingInt(Violation::number)
            .thenComparing(Violation::executable)
            .thenComparing(Violation::action);

    public Violation {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(fix, "fix");
        if (count < 1) {
            throw new IllegalArgumentException("a violation is observed at least once, got count " + count);
        }
        SortedMap<Integer, SortedSet<Long>> copy = new TreeMap<>();
        Objects.requireNonNull(argumentValues, "argumentValues").forEach((index, values) ->
                copy.put(index, Collections.unmodifiableSortedSet(new TreeSet<>(values))));
        argumentValues = Collections.unmodifiableSortedMap(copy);
    }

    /** An observation not yet explained. */
    public Violation(String syscall, int number, String arch, String executable, String action, long count,
                     SortedMap<Integer, SortedSet<Long>> argumentValues) {
        this(syscall, number, arch, executable, action, count, argumentValues, "", "");
    }

    /** The same observation with its arguments rendered and the fix that would allow it. */
    public Violation explained(String renderedArguments, String allowingFix) {
        return new Violation(syscall, number, arch, executable, action, count, argumentValues, renderedArguments,
                allowingFix);
    }

    Violation plus(Violation other) {
        SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
        for (Violation violation : new Violation[] {this, other}) {
            violation.argumentValues.forEach((index, set) ->
                    values.computeIfAbsent(index, i -> new TreeSet<>()).addAll(set));
        }
        return new Violation(syscall, number, arch, executable, action, count + other.count, values, arguments, fix);
    }
}
