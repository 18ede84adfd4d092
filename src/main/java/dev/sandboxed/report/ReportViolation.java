package dev.sandboxed.report;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A call the policy refused while the application was verified, as the report shows it. The report keeps its own
 * type so it depends on no runtime: whatever observed the violation (audit log, native launcher, container) maps
 * its findings to this.
 *
 * @param arch the architecture id ({@code x86_64}), or whatever the observer could name for a foreign ABI
 * @param executable the program that made the call
 * @param syscall the syscall name, or {@code unknown} when the table has none for the number
 * @param number the syscall number the kernel saw
 * @param action what the policy did ({@code errno}, {@code kill-process}, ...)
 * @param count how many times it was observed
 * @param argumentValues per argument index, the raw values seen; empty when the observer cannot see arguments.
 *     The report names them symbolically ({@code AF_NETLINK}) where the argument has named values.
 * @param policyLineToAdd the policy file line that would allow the call, or empty when no line can (a foreign ABI)
 */
public record ReportViolation(String arch, String executable, String syscall, int number, String action, long count,
                              SortedMap<Integer, SortedSet<Long>> argumentValues, String policyLineToAdd) {

    public ReportViolation {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(policyLineToAdd, "policyLineToAdd");
        if (count < 1) {
            throw new IllegalArgumentException("a violation is observed at least once, got count " + count);
        }
        SortedMap<Integer, SortedSet<Long>> copy = new TreeMap<>();
        Objects.requireNonNull(argumentValues, "argumentValues").forEach((index, values) ->
                copy.put(Objects.requireNonNull(index, "argument index"),
                        Collections.unmodifiableSortedSet(new TreeSet<>(values))));
        argumentValues = Collections.unmodifiableSortedMap(copy);
    }
}
