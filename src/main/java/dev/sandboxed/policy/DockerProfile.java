package dev.sandboxed.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxed.json.Json;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Docker/OCI seccomp profiles (the JSON {@code docker run --security-opt seccomp=...} takes), read and written.
 *
 * <p><b>Import</b> resolves the profile the way moby and runc do for a container on each supported machine:
 * {@code includes}/{@code excludes} are evaluated per architecture (Docker's {@code amd64}/{@code arm64}) against
 * a capability set, by default none — {@code verify} drops every capability — and a current kernel, so every
 * {@code minKernel} is met. Names an architecture does not know are skipped, as libseccomp does; entries whose
 * action equals the default are skipped, as runc does; an entry with two conditions on the same argument becomes
 * one rule per condition, as runc does; other conditions of one entry must all hold. Conditions compare all 64
 * bits, as libseccomp does — except a masked equality on the low 32 bits, which is exactly a 32-bit equality and
 * is read as one. Sub-architectures ({@code SCMP_ARCH_X86}, {@code SCMP_ARCH_X32}, {@code SCMP_ARCH_ARM}) are not
 * carried over: this plugin's policies kill every call from a foreign ABI, and the import says so in a warning.
 * A profile naming no architecture applies to every supported one.
 *
 * <p><b>Export</b> writes {@code architectures} with only the main architectures, no {@code archMap}: with no
 * sub-architecture in the filter, libseccomp kills foreign-ABI calls too, so the exported profile decides exactly
 * like the policy, and a flat {@code architectures} list is the one form Docker, the OCI runtime spec and the
 * Kubernetes operator all accept. Syscalls with the same action and conditions share an entry, limited by
 * {@code includes.arches} only where the rule exists on some but not all architectures that know the name. An
 * entry's {@code comment} is its rules' reason when they share one. See {@link OciSyscalls} for what cannot be
 * exported.
 */
public final class DockerProfile {

    /** The capability set {@code verify} runs with, and the default for imports. */
    public static final Set<String> NO_CAPABILITIES = Set.of();

    private static final String FORMAT = "a Docker seccomp profile";
    private static final Set<String> TOP = Set.of("defaultAction", "defaultErrnoRet", "architectures", "archMap",
            "flags", "listenerPath", "listenerMetadata", "syscalls");
    private static final Set<String> SYSCALL = Set.of("names", "name", "action", "errnoRet", "args", "comment",
            "includes", "excludes");
    private static final Set<String> FILTER = Set.of("caps", "arches", "minKernel");
    private static final Set<String> ARG = Set.of("index", "value", "valueTwo", "op");
    private static final int EPERM = 1;

    private DockerProfile() {
    }

    public static LoadedPolicy read(Path file) {
        return read(file, NO_CAPABILITIES);
    }

    /** Reads a profile as a container holding {@code capabilities} ({@code CAP_*} names) would get it. */
    public static LoadedPolicy read(Path file, Set<String> capabilities) {
        return parse(file, JsonInput.readText(file), capabilities);
    }

    public static LoadedPolicy parse(Path file, String text, Set<String> capabilities) {
        return read(JsonInput.parse(file, text), capabilities);
    }

    static LoadedPolicy read(JsonInput in, Set<String> capabilities) {
        Objects.requireNonNull(capabilities, "capabilities");
        List<String> warnings = new ArrayList<>();
        ObjectNode root = in.rootObject(FORMAT);
        warnUnknownKeys(in, root, TOP, FORMAT, warnings);
        Action defaultAction = action(in, root, "defaultAction", "defaultErrnoRet");
        Set<Arch> arches = architectures(in, root, warnings);

        Map<Arch, List<Rule>> rules = new EnumMap<>(Arch.class);
        Map<Arch, Map<String, Placed>> seen = new EnumMap<>(Arch.class);
        arches.forEach(arch -> {
            rules.put(arch, new ArrayList<>());
            seen.put(arch, new HashMap<>());
        });
        SortedSet<String> unknownEverywhere = new TreeSet<>();
        ArrayNode syscalls = in.optionalArray(root, "syscalls").orElse(Json.array());
        for (int i = 0; i < syscalls.size(); i++) {
            ObjectNode entry = in.element(syscalls, i, "a syscalls entry");
            Location where = in.at(syscalls, i);
            warnUnknownKeys(in, entry, SYSCALL, "a syscalls entry", warnings);
            List<String> names = names(in, entry);
            Action action = action(in, entry, "action", "errnoRet");
            if (entry.hasNonNull("errnoRet") && action.kind() != Action.Kind.ERRNO && action.kind() != Action.Kind.TRACE) {
                warnings.add(in.at(entry, "errnoRet") + ": \"errnoRet\" is ignored for " + in.text(entry, "action", "")
                        + ", as runc ignores it; only SCMP_ACT_ERRNO and SCMP_ACT_TRACE return a value");
            }
            String comment = in.optionalText(entry, "comment").orElse("");
            List<List<Condition>> alternatives = conditions(in, entry, where, warnings);
            Filter includes = filter(in, entry, "includes", warnings);
            Filter excludes = filter(in, entry, "excludes", warnings);
            if (action.equals(defaultAction)) {
                continue;
            }
            Set<String> unknown = new TreeSet<>();
            boolean appliesSomewhere = false;
            for (Arch arch : arches) {
                if (!applies(arch, includes, excludes, capabilities)) {
                    continue;
                }
                appliesSomewhere = true;
                for (String name : names) {
                    if (!SyscallTable.of(arch).contains(name)) {
                        unknown.add(name);
                        continue;
                    }
                    for (List<Condition> conditions : alternatives) {
                        Rule rule = new Rule(name, action, conditions, comment);
                        Placed earlier = seen.get(arch).putIfAbsent(name + " " + rule.conditions(), new Placed(rule, where));
                        if (earlier != null && !earlier.rule.action().equals(action)) {
                            throw new InvalidPolicyException("contradicting entries on " + arch.id() + ": " + rule
                                    + " here and " + earlier.rule + " at line " + earlier.where.line()
                                    + "; keep one of them", where, null);
                        }
                        rules.get(arch).add(rule);
                    }
                }
            }
            if (appliesSomewhere) {
                unknown.removeIf(name -> arches.stream().anyMatch(arch -> SyscallTable.of(arch).contains(name)));
                unknownEverywhere.addAll(unknown);
            }
        }
        if (!unknownEverywhere.isEmpty()) {
            warnings.add(Location.of(in.file()) + ": skipped " + unknownEverywhere.size() + " syscall name(s) that "
                    + String.join(" and ", arches.stream().map(Arch::id).toList()) + " do not have (libseccomp "
                    + "skips them too; check for misspellings): " + String.join(", ", unknownEverywhere));
        }
        Policy policy = new Policy(defaultAction, new TreeMap<>(rules), runtimeOptions(in, root));
        return new LoadedPolicy(policy, FileFormat.DOCKER, warnings);
    }

    private record Placed(Rule rule, Location where) {
    }

    /** One {@code includes} or {@code excludes}; {@code minKernel} tells whether it names a kernel version. */
    private record Filter(Set<String> caps, Set<String> arches, boolean minKernel) {
        static final Filter NONE = new Filter(Set.of(), Set.of(), false);
    }

    /** moby's selection: excluded by an excluded arch or any held excluded cap; included only if all includes hold. */
    private static boolean applies(Arch arch, Filter includes, Filter excludes, Set<String> capabilities) {
        String dockerArch = goArch(arch);
        if (excludes.minKernel || excludes.arches.contains(dockerArch)
                || excludes.caps.stream().anyMatch(capabilities::contains)) {
            return false;
        }
        if (!includes.arches.isEmpty() && !includes.arches.contains(dockerArch)) {
            return false;
        }
        return capabilities.containsAll(includes.caps);
    }

    /** A current kernel meets every {@code minKernel}: an include with one holds, an exclude with one excludes. */
    private static Filter filter(JsonInput in, ObjectNode entry, String key, List<String> warnings) {
        var node = in.optionalObject(entry, key);
        if (node.isEmpty()) {
            return Filter.NONE;
        }
        ObjectNode filter = node.get();
        warnUnknownKeys(in, filter, FILTER, "\"" + key + "\"", warnings);
        Set<String> caps = new LinkedHashSet<>(in.optionalArray(filter, "caps").map(a -> in.strings(a, "caps")).orElse(List.of()));
        Set<String> archList = new LinkedHashSet<>(in.optionalArray(filter, "arches").map(a -> in.strings(a, "arches")).orElse(List.of()));
        var minKernel = in.optionalText(filter, "minKernel");
        if (minKernel.isPresent() && !minKernel.get().matches("\\d+\\.\\d+(\\.\\d+)?")) {
            throw in.error(filter, "minKernel", "minKernel \"" + minKernel.get() + "\" is not a kernel version such as 4.8");
        }
        return new Filter(caps, archList, minKernel.isPresent());
    }

    private static String goArch(Arch arch) {
        return switch (arch) {
            case X86_64 -> "amd64";
            case AARCH64 -> "arm64";
        };
    }

    private static Set<Arch> architectures(JsonInput in, ObjectNode root, List<String> warnings) {
        Set<String> named = new LinkedHashSet<>();
        Set<String> subArches = new LinkedHashSet<>();
        in.optionalArray(root, "architectures").ifPresent(a -> named.addAll(in.strings(a, "architectures")));
        ArrayNode archMap = in.optionalArray(root, "archMap").orElse(Json.array());
        for (int i = 0; i < archMap.size(); i++) {
            ObjectNode entry = in.element(archMap, i, "an archMap entry");
            warnUnknownKeys(in, entry, Set.of("architecture", "subArchitectures"), "an archMap entry", warnings);
            String main = in.text(entry, "architecture", "an archMap entry");
            named.add(main);
            if (Arch.fromDockerName(main).isPresent()) {
                in.optionalArray(entry, "subArchitectures").ifPresent(a -> subArches.addAll(in.strings(a, "subArchitectures")));
            }
        }
        Set<Arch> arches = new TreeSet<>();
        for (String name : named) {
            Arch.fromDockerName(name).ifPresent(arches::add);
        }
        subArches.removeIf(name -> Arch.fromDockerName(name).isPresent());
        for (String name : named) {
            if (Arch.fromDockerName(name).isEmpty() && (name.equals("SCMP_ARCH_X86") || name.equals("SCMP_ARCH_X32")
                    || name.equals("SCMP_ARCH_ARM"))) {
                subArches.add(name);
            }
        }
        if (!subArches.isEmpty() && !arches.isEmpty()) {
            warnings.add(in.at(root, archMap.isEmpty() ? "architectures" : "archMap") + ": calls from "
                    + String.join(", ", subArches) + " are killed, not filtered by the rules: this plugin's policies "
                    + "allow only each machine's native ABI, the usual way filters are bypassed");
        }
        if (named.isEmpty()) {
            return new TreeSet<>(List.of(Arch.values()));
        }
        if (arches.isEmpty()) {
            throw in.error(root, archMap.isEmpty() ? "architectures" : "archMap", "none of the profile's "
                    + "architectures is supported (" + String.join(", ", named) + "); add "
                    + String.join(" or ", Arrays.stream(Arch.values()).map(Arch::dockerName).toList()));
        }
        return arches;
    }

    private static List<String> names(JsonInput in, ObjectNode entry) {
        var single = in.optionalText(entry, "name");
        var list = in.optionalArray(entry, "names");
        if (single.isPresent() && list.isPresent() && !list.get().isEmpty()) {
            throw in.error(entry, "name", "both \"name\" and \"names\" are set; Docker refuses that, use \"names\"");
        }
        if (single.isPresent()) {
            return List.of(single.get());
        }
        List<String> names = list.map(a -> in.strings(a, "names")).orElse(List.of());
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) {
                throw in.error(list.get(), i, "empty syscall name");
            }
        }
        return names;
    }

    /**
     * The alternatives one entry stands for: one list of conditions normally, one per condition when an argument
     * is tested twice (runc's rule).
     */
    private static List<List<Condition>> conditions(JsonInput in, ObjectNode entry, Location where, List<String> warnings) {
        var array = in.optionalArray(entry, "args");
        if (array.isEmpty() || array.get().isEmpty()) {
            return List.of(List.of());
        }
        List<Condition> conditions = new ArrayList<>();
        Set<Integer> indexes = new TreeSet<>();
        boolean repeated = false;
        for (int i = 0; i < array.get().size(); i++) {
            ObjectNode arg = in.element(array.get(), i, "an args entry");
            warnUnknownKeys(in, arg, ARG, "an args entry", warnings);
            Condition condition = condition(in, arg);
            repeated |= !indexes.add(condition.index());
            conditions.add(condition);
        }
        if (!repeated) {
            return List.of(conditions);
        }
        warnings.add(where + ": this entry tests one argument twice, so runc applies each condition as a separate "
                + "rule (any one suffices), and so does this import");
        return conditions.stream().map(List::of).toList();
    }

    private static Condition condition(JsonInput in, ObjectNode arg) {
        if (!arg.has("index")) {
            throw in.error(arg, "missing \"index\" in an args entry");
        }
        int index = in.smallInteger(arg, "index", 0, Integer.MAX_VALUE);
        if (index > Condition.MAX_INDEX) {
            throw in.error(arg, "index", "argument index " + index + " does not exist: system calls have arguments 0 to 5");
        }
        String opName = in.text(arg, "op", "an args entry");
        Operator op = null;
        for (Operator candidate : Operator.values()) {
            if (candidate.dockerName().equals(opName)) {
                op = candidate;
            }
        }
        if (op == null) {
            throw in.error(arg, "op", "unknown operator \"" + opName + "\"; expected one of "
                    + String.join(", ", Arrays.stream(Operator.values()).map(Operator::dockerName).toList()));
        }
        long value = unsigned(in, arg, "value");
        long valueTwo = unsigned(in, arg, "valueTwo");
        if (op != Operator.MASKED_EQ) {
            return Condition.of(index, op, value, Width.BITS64);
        }
        if (value == 0xffffffffL && Long.compareUnsigned(valueTwo, 0xffffffffL) <= 0) {
            return Condition.of(index, Operator.EQ, valueTwo, Width.BITS32);
        }
        return Condition.masked(index, value, valueTwo, Width.BITS64);
    }

    private static long unsigned(JsonInput in, ObjectNode arg, String key) {
        if (!arg.has(key) || arg.get(key).isNull()) {
            return 0;
        }
        long value = in.integer(arg, key);
        if (arg.get(key).isIntegralNumber() && arg.get(key).bigIntegerValue().signum() < 0) {
            throw in.error(arg, key, "\"" + key + "\" is negative; Docker reads it as an unsigned 64-bit number");
        }
        return value;
    }

    private static Action action(JsonInput in, ObjectNode node, String key, String errnoKey) {
        String name = in.text(node, key, node == in.root() ? "the profile" : "a syscalls entry");
        boolean hasErrno = node.has(errnoKey) && !node.get(errnoKey).isNull();
        int data = hasErrno ? in.smallInteger(node, errnoKey, 0, Integer.MAX_VALUE) : EPERM;
        try {
            return switch (name) {
                case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> Action.killThread();
                case "SCMP_ACT_KILL_PROCESS" -> Action.killProcess();
                case "SCMP_ACT_TRAP" -> Action.trap();
                case "SCMP_ACT_ERRNO" -> Action.errno(data);
                case "SCMP_ACT_TRACE" -> Action.trace(data);
                case "SCMP_ACT_ALLOW" -> Action.allow();
                case "SCMP_ACT_LOG" -> Action.log();
                case "SCMP_ACT_NOTIFY" -> Action.userNotif();
                default -> throw in.error(node, key, "unknown action \"" + name + "\"; expected SCMP_ACT_ALLOW, "
                        + "SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, SCMP_ACT_TRAP, "
                        + "SCMP_ACT_TRACE, SCMP_ACT_LOG or SCMP_ACT_NOTIFY");
            };
        } catch (InvalidPolicyException e) {
            if (e.location() != null) {
                throw e;
            }
            throw in.error(node, hasErrno ? errnoKey : key, e.getMessage());
        }
    }

    private static RuntimeOptions runtimeOptions(JsonInput in, ObjectNode root) {
        SortedSet<String> flags = new TreeSet<>(in.optionalArray(root, "flags").map(a -> in.strings(a, "flags")).orElse(List.of()));
        return new RuntimeOptions(flags, in.optionalText(root, "listenerPath").orElse(""),
                in.optionalText(root, "listenerMetadata").orElse(""));
    }

    /** Docker ignores keys it does not know; so does the import, but it says so, since a typo loses a setting. */
    private static void warnUnknownKeys(JsonInput in, ObjectNode node, Set<String> known, String context, List<String> warnings) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                warnings.add(in.at(node, key) + ": unknown key \"" + key + "\" in " + context + " is ignored, as Docker ignores it");
            }
        }
    }

    /** The profile as canonical JSON. */
    public static String write(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        ObjectNode root = Json.object();
        ArrayNode arches = root.putArray("architectures");
        policy.architectures().stream().map(Arch::dockerName).sorted().forEach(arches::add);
        putAction(root, "defaultAction", "defaultErrnoRet", policy.defaultAction());
        RuntimeOptions options = policy.runtimeOptions();
        if (!options.flags().isEmpty()) {
            ArrayNode flags = root.putArray("flags");
            options.flags().forEach(flags::add);
        }
        if (!options.listenerPath().isEmpty()) {
            root.put("listenerPath", options.listenerPath());
        }
        if (!options.listenerMetadata().isEmpty()) {
            root.put("listenerMetadata", options.listenerMetadata());
        }
        ArrayNode syscalls = root.putArray("syscalls");
        for (OciSyscalls.Entry entry : OciSyscalls.of(policy, FORMAT)) {
            ObjectNode node = syscalls.addObject();
            ArrayNode names = node.putArray("names");
            entry.names().forEach(names::add);
            putAction(node, "action", "errnoRet", entry.action());
            if (!entry.args().isEmpty()) {
                ArrayNode args = node.putArray("args");
                for (OciSyscalls.Arg arg : entry.args()) {
                    ObjectNode a = args.addObject().put("index", arg.index()).put("op", arg.op().dockerName());
                    a.put("value", unsignedNumber(arg.value()));
                    if (arg.op() == Operator.MASKED_EQ) {
                        a.put("valueTwo", unsignedNumber(arg.valueTwo()));
                    }
                }
            }
            if (!entry.comment().isEmpty()) {
                node.put("comment", entry.comment());
            }
            if (!entry.arches().isEmpty()) {
                ArrayNode list = node.putObject("includes").putArray("arches");
                entry.arches().forEach(arch -> list.add(goArch(arch)));
            }
        }
        return Json.write(root, 0);
    }

    static BigInteger unsignedNumber(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    private static void putAction(ObjectNode node, String key, String errnoKey, Action action) {
        node.put(key, dockerAction(action));
        if (action.kind() == Action.Kind.ERRNO || action.kind() == Action.Kind.TRACE) {
            node.put(errnoKey, action.data());
        }
    }

    static String dockerAction(Action action) {
        return switch (action.kind()) {
            case KILL_PROCESS -> "SCMP_ACT_KILL_PROCESS";
            case KILL_THREAD -> "SCMP_ACT_KILL_THREAD";
            case TRAP -> "SCMP_ACT_TRAP";
            case ERRNO -> "SCMP_ACT_ERRNO";
            case USER_NOTIF -> "SCMP_ACT_NOTIFY";
            case TRACE -> "SCMP_ACT_TRACE";
            case LOG -> "SCMP_ACT_LOG";
            case ALLOW -> "SCMP_ACT_ALLOW";
        };
    }
}
