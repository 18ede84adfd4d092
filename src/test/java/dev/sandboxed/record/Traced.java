package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A recorded run and the output it printed, with lookups tests need. */
record Traced(Recording recording, List<String> stdout, List<String> stderr) {

    static final Linux LINUX = Linux.load();

    static Traced run(RecordOptions.Builder options, String... command) {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        Recording recording = new PtraceRecorder(LINUX).record(List.of(command), options.output((stream, line) -> {
            (stream == OutputLines.Stream.STDOUT ? out : err).add(line);
        }).build());
        return new Traced(recording, List.copyOf(out), List.copyOf(err));
    }

    static Traced run(String... command) {
        return run(RecordOptions.builder(), command);
    }

    Run runInfo() {
        return recording.runs().get(0);
    }

    SortedMap<String, Component> components() {
        return recording.components().getOrDefault(LINUX.arch(), new TreeMap<>());
    }

    Component component(String executable) {
        Component component = components().get(Path.of(executable).toString());
        if (component == null) {
            throw new AssertionError("no component " + executable + " in " + components().keySet());
        }
        return component;
    }

    /** Every syscall name of every component. */
    SortedSet<String> syscallNames() {
        SortedSet<String> names = new TreeSet<>();
        components().values().forEach(c -> names.addAll(c.syscalls().keySet()));
        return names;
    }

    SortedSet<String> addresses() {
        SortedSet<String> all = new TreeSet<>();
        components().values().forEach(c -> all.addAll(c.addresses()));
        return all;
    }

    SortedSet<Long> argumentValues(String syscall, int index) {
        SortedSet<Long> values = new TreeSet<>();
        components().values().forEach(c -> {
            if (c.syscalls().containsKey(syscall)) {
                values.addAll(c.syscalls().get(syscall).argumentValues().getOrDefault(index, new TreeSet<>()));
            }
        });
        return values;
    }
}
