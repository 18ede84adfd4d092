package dev.sandboxed.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxed.json.Json;
import dev.sandboxed.syscall.Arch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stored form of a {@link Recording} ({@code target/sandbox/recording.json}), what {@code profile} reads and
 * several runs merge into. Layout:
 *
 * <pre>{@code
 * {
 *   "components": {
 *     "x86_64": {
 *       "/usr/bin/java": {
 *         "addresses": [ "connect unix:/run/x.sock" ],
 *         "paths": [ {"access": ["read"], "path": "/etc/hosts"} ],
 *         "syscalls": [ {"arg0": [1, 10], "calls": 4, "name": "socket", "runs": 3} ]
 *       }
 *     }
 *   },
 *   "runs": [ {"backend": "ptrace", "command": "...", "exitStatus": 0, "interrupted": false, "signal": "", "wallMillis": 812} ],
 *   "schemaVersion": 1
 * }
 * }</pre>
 *
 * Syscalls and paths are arrays of one-line entries rather than maps so that {@link Json}'s layout puts each on
 * its own line; {@code argN} holds the distinct raw values seen for argument N. The reader is strict: an unknown
 * key is reported with its line, since a misspelt key would otherwise silently drop data.
 */
public final class RecordingFormat {

    private static final Set<String> TOP = Set.of("schemaVersion", "runs", "components");
    private static final Set<String> RUN = Set.of("command", "exitStatus", "signal", "wallMillis", "interrupted", "backend");
    private static final Set<String> COMPONENT = Set.of("syscalls", "paths", "addresses");
    private static final Set<String> SYSCALL = Set.of("name", "calls", "runs", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5");
    private static final Set<String> PATH = Set.of("path", "access");

    private RecordingFormat() {
    }

    public static String write(Recording recording) {
        Objects.requireNonNull(recording, "recording");
        ObjectNode root = Json.object();
        root.put("schemaVersion", Recording.SCHEMA_VERSION);
        ArrayNode runs = root.putArray("runs");
        for (Run run : recording.runs()) {
            runs.addObject()
                    .put("command", run.command())
                    .put("exitStatus", run.exitStatus())
                    .put("signal", run.signal())
                    .put("wallMillis", run.wallMillis())
                    .put("interrupted", run.interrupted())
                    .put("backend", run.backend());
        }
        ObjectNode components = root.putObject("components");
        recording.components().forEach((arch, byExecutable) -> {
            ObjectNode archNode = components.putObject(arch.id());
            byExecutable.forEach((executable, component) -> archNode.set(executable, component(component)));
        });
        return Json.write(root);
    }

    private static ObjectNode component(Component component) {
        ObjectNode node = Json.object();
        ArrayNode syscalls = node.putArray("syscalls");
        component.syscalls().forEach((name, use) -> {
            ObjectNode call = syscalls.addObject().put("name", name).put("calls", use.count()).put("runs", use.runsSeen());
            use.argumentValues().forEach((index, values) -> {
                ArrayNode list = call.putArray("arg" + index);
                values.forEach(list::add);
            });
        });
        ArrayNode paths = node.putArray("paths");
        component.paths().forEach((path, accesses) -> {
            ObjectNode entry = paths.addObject().put("path", path);
            ArrayNode list = entry.putArray("access");
            accesses.forEach(access -> list.add(access.name().toLowerCase(Locale.ROOT)));
        });
        ArrayNode addresses = node.putArray("addresses");
        component.addresses().forEach(addresses::add);
        return node;
    }

    public static Recording read(Path file) {
        return parse(file, JsonInput.readText(file));
    }

    /** Reads recording text; {@code file} only names the source in messages. */
    public static Recording parse(Path file, String text) {
        return read(JsonInput.parse(file, text));
    }

    static Recording read(JsonInput in) {
        ObjectNode root = in.rootObject("a recording");
        in.allowOnly(root, "a recording", TOP);
        int version = in.smallInteger(root, "schemaVersion", 1, Integer.MAX_VALUE);
        if (version > Recording.SCHEMA_VERSION) {
            throw in.error(root, "schemaVersion", "schema version " + version + " is newer than this plugin reads ("
                    + Recording.SCHEMA_VERSION + "); upgrade the plugin or record again");
        }
        List<Run> runs = new ArrayList<>();
        ArrayNode runArray = in.array(root, "runs", "a recording");
        for (int i = 0; i < runArray.size(); i++) {
            ObjectNode run = in.element(runArray, i, "a run");
            in.allowOnly(run, "a run", RUN);
            runs.add(new Run(in.text(run, "command", "a run"), in.smallInteger(run, "exitStatus", Integer.MIN_VALUE,
                    Integer.MAX_VALUE), in.text(run, "signal", "a run"), in.integer(run, "wallMillis"),
                    in.bool(run, "interrupted"), in.text(run, "backend", "a run")));
        }
        SortedMap<Arch, SortedMap<String, Component>> components = new TreeMap<>();
        ObjectNode byArch = in.object(root, "components", "a recording");
        for (Iterator<Map.Entry<String, JsonNode>> it = byArch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Arch arch = Arch.fromId(entry.getKey()).orElseThrow(() -> in.error(byArch, entry.getKey(),
                    "unknown architecture \"" + entry.getKey() + "\"; supported: " + archIds()));
            ObjectNode byExecutable = in.object(byArch, entry.getKey(), "components");
            SortedMap<String, Component> target = new TreeMap<>();
            for (Iterator<String> names = byExecutable.fieldNames(); names.hasNext(); ) {
                String executable = names.next();
                target.put(executable, component(in, executable, in.object(byExecutable, executable, "components")));
            }
            components.put(arch, target);
        }
        return new Recording(runs, components);
    }

    private static Component component(JsonInput in, String executable, ObjectNode node) {
        String context = "component " + executable;
        in.allowOnly(node, context, COMPONENT);
        SortedMap<String, SyscallUse> syscalls = new TreeMap<>();
        ArrayNode calls = in.array(node, "syscalls", context);
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode call = in.element(calls, i, "a syscall entry");
            in.allowOnly(call, "a syscall entry", SYSCALL);
            String name = in.text(call, "name", "a syscall entry");
            SortedMap<Integer, SortedSet<Long>> values = new TreeMap<>();
            for (int index = 0; index <= Condition.MAX_INDEX; index++) {
                int argument = index;
                in.optionalArray(call, "arg" + index).ifPresent(array -> {
                    SortedSet<Long> set = new TreeSet<>();
                    for (int j = 0; j < array.size(); j++) {
                        if (!array.get(j).isIntegralNumber() || !array.get(j).canConvertToLong()) {
                            throw in.error(array, j, "argument values must be 64-bit whole numbers, got " + array.get(j));
                        }
                        set.add(array.get(j).longValue());
                    }
                    values.put(argument, set);
                });
            }
            if (syscalls.containsKey(name)) {
                throw in.error(calls, i, "syscall " + name + " is listed twice in " + context);
            }
            long count = in.integer(call, "calls");
            int runs = in.smallInteger(call, "runs", 0, Integer.MAX_VALUE);
            if (count < 0) {
                throw in.error(call, "calls", "\"calls\" must not be negative");
            }
            syscalls.put(name, new SyscallUse(count, runs, values));
        }
        SortedMap<String, SortedSet<FileAccess>> paths = new TreeMap<>();
        ArrayNode pathArray = in.array(node, "paths", context);
        for (int i = 0; i < pathArray.size(); i++) {
            ObjectNode entry = in.element(pathArray, i, "a path entry");
            in.allowOnly(entry, "a path entry", PATH);
            ArrayNode accessArray = in.array(entry, "access", "a path entry");
            SortedSet<FileAccess> accesses = new TreeSet<>();
            List<String> accessNames = in.strings(accessArray, "accesses");
            for (int j = 0; j < accessNames.size(); j++) {
                accesses.add(fileAccess(in, accessArray, j, accessNames.get(j)));
            }
            paths.computeIfAbsent(in.text(entry, "path", "a path entry"), p -> new TreeSet<>()).addAll(accesses);
        }
        SortedSet<String> addresses = new TreeSet<>(in.strings(in.array(node, "addresses", context), "addresses"));
        return new Component(executable, syscalls, paths, addresses);
    }

    private static FileAccess fileAccess(JsonInput in, ArrayNode array, int index, String name) {
        for (FileAccess access : FileAccess.values()) {
            if (access.name().toLowerCase(Locale.ROOT).equals(name)) {
                return access;
            }
        }
        throw in.error(array, index, "unknown file access \"" + name + "\"; expected one of "
                + String.join(", ", Arrays.stream(FileAccess.values())
                .map(a -> a.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static String archIds() {
        return String.join(", ", Arrays.stream(Arch.values()).map(Arch::id).toList());
    }
}
