package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@code record} saw: per architecture and per component (each distinct program image after execve), the
 * system calls made and the facts a least-privilege policy is built from. Recordings of several runs merge into
 * one; {@link #runs()} says how many, so a call seen in fewer runs can be flagged as timing-dependent.
 *
 * @param runs one entry per traced run, in the order they were recorded
 * @param components per architecture, per executable path
 */
public record Recording(List<Run> runs, SortedMap<Arch, SortedMap<String, Component>> components) {

    public static final int SCHEMA_VERSION = 1;

    public Recording {
        runs = List.copyOf(Objects.requireNonNull(runs, "runs"));
        SortedMap<Arch, SortedMap<String, Component>> copy = new TreeMap<>();
        Objects.requireNonNull(components, "components").forEach((arch, byExe) ->
                copy.put(arch, Collections.unmodifiableSortedMap(new TreeMap<>(byExe))));
        components = Collections.unmodifiableSortedMap(copy);
    }

    public static Recording empty() {
        return new Recording(List.of(), new TreeMap<>());
    }

    public int runCount() {
        return runs.size();
    }

    /** The union of two recordings: runs are appended, counts added, everything else united. */
    public Recording merge(Recording other) {
        List<Run> allRuns = new ArrayList<>(runs);
        allRuns.addAll(other.runs);
        SortedMap<Arch, SortedMap<String, Component>> merged = new TreeMap<>();
        for (Recording recording : List.of(this, other)) {
            recording.components.forEach((arch, byExe) -> {
                SortedMap<String, Component> target = merged.computeIfAbsent(arch, a -> new TreeMap<>());
                byExe.forEach((exe, component) -> target.merge(exe, component, Component::merge));
            });
        }
        return new Recording(allRuns, merged);
    }

    /** Every syscall name seen on one architecture, in any component. */
    public SortedMap<String, Long> syscallCounts(Arch arch) {
        SortedMap<String, Long> counts = new TreeMap<>();
        for (Component component : components.getOrDefault(arch, new TreeMap<>()).values()) {
            component.syscalls().forEach((name, use) -> counts.merge(name, use.count(), Long::sum));
        }
        return counts;
    }

    /** Convenience for building a recording of a single component. */
    public static Recording of(Run run, Arch arch, Component component) {
        SortedMap<String, Component> byExe = new TreeMap<>(Map.of(component.executable(), component));
        return new Recording(List.of(run), new TreeMap<>(Map.of(arch, byExe)));
    }
}
