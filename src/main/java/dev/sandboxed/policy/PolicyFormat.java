package dev.sandboxed.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxed.json.Json;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.Equivalent;
import dev.sandboxed.syscall.Spelling;
import dev.sandboxed.syscall.SyscallTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The committed policy ({@code src/main/sandbox/policy.json}): the file a team reviews when an application's
 * system calls change. It is short (one rule per line), sorted (a rule's place never depends on history),
 * symbolic ({@code AF_UNIX}, not {@code 1}) and written once for all architectures.
 *
 * <pre>{@code
 * {
 *   "schemaVersion": 1,
 *   "defaultAction": "errno(EPERM)",
 *   "architectures": [
 *     "aarch64",
 *     "x86_64"
 *   ],
 *   "baseArchitecture": "x86_64",
 *   "rules": [
 *     {"syscall": "clone", "if": ["arg0 & CLONE_NEWCGROUP|CLONE_NEWIPC|CLONE_NEWNET|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWUSER|CLONE_NEWUTS == 0"], "action": "allow", "reason": "recorded: 41 calls in 3/3 runs by /usr/bin/java"},
 *     {"syscall": "clone3", "action": "errno(ENOSYS)", "reason": "not recorded: libc falls back to clone"},
 *     {"syscall": "open", "action": "allow", "reason": "recorded: 812 calls in 3/3 runs by /usr/bin/java"},
 *     {"syscall": "socket", "if": ["arg0 == AF_UNIX"], "action": "allow", "reason": "recorded: 2 calls in 3/3 runs by /usr/bin/java"}
 *   ],
 *   "overrides": {
 *     "aarch64": [
 *       {"syscall": "openat", "action": "allow", "reason": "needed by the aarch64 loader"}
 *     ]
 *   }
 * }
 * }</pre>
 *
 * <p><b>Top level.</b> {@code schemaVersion} is 1. {@code defaultAction} applies to every call no rule decides.
 * {@code architectures} lists the machines the policy is for ({@code x86_64}, {@code aarch64}).
 * {@code baseArchitecture} names the architecture whose syscall names {@code rules} use (required with more than
 * one architecture). {@code rules} are written once: on each other architecture a rule applies as written where
 * that architecture has the syscall, and to its equivalent where it does not ({@code open} becomes {@code openat}
 * on aarch64), with a warning naming the equivalent, and saying so when the equivalent can do more. A rule with
 * conditions is not carried to a differently named equivalent, whose arguments differ; the warning asks for an
 * override. {@code overrides} maps an architecture to rules in its own names; they replace every rule that
 * architecture would otherwise get for the same syscall, and {@code "action": "default"} there removes them.
 * {@code runtime} (optional) carries {@code flags}, {@code listenerPath} and {@code listenerMetadata} for
 * Docker/OCI exports.
 *
 * <p><b>A rule</b> is one object: {@code syscall}; optional {@code if}, a list of conditions that must all hold;
 * {@code action}; {@code reason}, why the rule exists (shown in reviews and violation reports). Rules of one
 * syscall may overlap; the most restrictive matching rule wins (see {@link Policy}). Two rules with the same
 * syscall and conditions but different actions are refused.
 *
 * <p><b>Actions:</b> {@code allow}, {@code log}, {@code trace(N)} (N from 0 to 65535), {@code user-notif},
 * {@code errno(E)} (E a symbol such as {@code EPERM}, {@code ENOSYS}, or a number from 0 to 4095), {@code trap},
 * {@code kill-thread}, {@code kill-process}.
 *
 * <p><b>Conditions</b> (all comparisons unsigned, as the kernel's):
 * <pre>
 *   condition  = argument " " operator " " expression
 *              | argument " &amp; " expression " == " expression     (masked: the bits of the mask must equal the value)
 *   argument   = "arg" digit [ ".32" | ".64" ]                      (digit 0 to 5)
 *   operator   = "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 *   expression = term { "|" term }
 *   term       = SYMBOL | decimal | "-" decimal | "0x" hex
 * </pre>
 * {@code arg0 & CLONE_NEWUSER|CLONE_NEWNS == 0} reads "none of these bits are set". Symbols are the kernel's
 * constants for the architecture the rule is applied on. An argument the syscall's ABI declares as a 32-bit
 * integer is compared on its low 32 bits only (the kernel ignores the rest, and stale upper bits must not steer
 * the filter); every other argument on all 64 bits. {@code .32} or {@code .64} overrides that; the writer adds
 * the suffix only where the width differs from the ABI's.
 *
 * <p><b>Canonical form.</b> {@link #write} sorts rules as {@link Policy} does, writes values symbolically where a
 * symbol reads back to the same bits, keeps each rule's keys in reading order ({@code syscall}, {@code if},
 * {@code action}, {@code reason}) rather than alphabetical, and emits only the overrides needed to reproduce the
 * policy exactly. Reading what it writes gives the same policy; writing a policy twice gives the same bytes.
 */
public final class PolicyFormat {

    public static final int SCHEMA_VERSION = 1;

    /** Where {@code profile} writes the policy and {@code verify} reads it, relative to the project. */
    public static final Path DEFAULT_LOCATION = Path.of("src", "main", "sandbox", "policy.json");

    /** The override action that removes an architecture's rules for a syscall. */
    static final String DEFAULT = "default";

    private static final String CONTEXT = "the policy";
    private static final Set<String> TOP = Set.of("schemaVersion", "defaultAction", "architectures",
            "baseArchitecture", "rules", "overrides", "runtime");
    private static final Set<String> RULE = Set.of("syscall", "if", "action", "reason");
    private static final Set<String> RUNTIME = Set.of("flags", "listenerPath", "listenerMetadata");

    private PolicyFormat() {
    }

    /** A rule as written: names and texts not yet resolved for an architecture; {@code where} is null when made in memory. */
    record Written(String syscall, List<String> conditions, String action, String reason, Location where) {

        Written {
            conditions = List.copyOf(conditions);
        }
    }

    /** A resolved rule and the line it came from. */
    private record Placed(Rule rule, Location where, String origin) {
    }

    public static LoadedPolicy read(Path file) {
        return read(JsonInput.read(file));
    }

    /** Reads policy text; {@code file} names the source in messages. */
    public static LoadedPolicy parse(Path file, String text) {
        return read(JsonInput.parse(file, text));
    }

    static LoadedPolicy read(JsonInput in) {
        List<String> warnings = new ArrayList<>();
        ObjectNode root = in.rootObject(CONTEXT);
        in.allowOnly(root, CONTEXT, TOP);
        if (!root.has("schemaVersion")) {
            throw in.error(root, "missing \"schemaVersion\" in " + CONTEXT + "; this format is version " + SCHEMA_VERSION);
        }
        int version = in.smallInteger(root, "schemaVersion", 1, Integer.MAX_VALUE);
        if (version > SCHEMA_VERSION) {
            throw in.error(root, "schemaVersion", "schema version " + version + " is newer than this plugin reads ("
                    + SCHEMA_VERSION + "); upgrade the plugin");
        }
        Action defaultAction = located(in.at(root, "defaultAction"),
                () -> RuleSyntax.parseAction(in.text(root, "defaultAction", CONTEXT)));
        SortedSet<Arch> arches = architectures(in, root);
        Arch base = baseArchitecture(in, root, arches);

        List<Written> rules = writtenRules(in, in.array(root, "rules", CONTEXT), arches, base, null);
        Map<Arch, List<Written>> overrides = new TreeMap<>();
        in.optionalObject(root, "overrides").ifPresent(node -> {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String id = it.next();
                Arch arch = Arch.fromId(id).filter(arches::contains).orElseThrow(() -> in.error(node, id,
                        "overrides for \"" + id + "\", which is not in \"architectures\" (" + ids(arches) + ")"));
                if (arch == base) {
                    throw in.error(node, id, "overrides for the base architecture " + id + "; change its rules in "
                            + "\"rules\" instead");
                }
                overrides.put(arch, writtenRules(in, in.array(node, id, "overrides"), arches, base, arch));
            }
        });

        SortedMap<Arch, List<Rule>> resolved = new TreeMap<>();
        for (Arch arch : arches) {
            List<Placed> placed = derive(rules, base, arch, arches, warnings);
            List<Written> own = overrides.getOrDefault(arch, List.of());
            Set<String> replaced = new HashSet<>();
            own.forEach(w -> replaced.add(w.syscall()));
            placed.removeIf(p -> replaced.contains(p.rule.syscall()));
            for (Written w : own) {
                if (!w.action().equals(DEFAULT)) {
                    placed.add(new Placed(resolve(arch, w.syscall(), w, arch), w.where(), ""));
                }
            }
            resolved.put(arch, checked(arch, placed));
        }
        RuntimeOptions runtime = in.optionalObject(root, "runtime").map(node -> {
            in.allowOnly(node, "\"runtime\"", RUNTIME);
            SortedSet<String> flags = new TreeSet<>(in.optionalArray(node, "flags").map(a -> in.strings(a, "flags")).orElse(List.of()));
            return new RuntimeOptions(flags, in.optionalText(node, "listenerPath").orElse(""),
                    in.optionalText(node, "listenerMetadata").orElse(""));
        }).orElse(RuntimeOptions.none());
        return new LoadedPolicy(new Policy(defaultAction, resolved, runtime), FileFormat.SANDBOX, warnings);
    }

    private static SortedSet<Arch> architectures(JsonInput in, ObjectNode root) {
        ArrayNode array = in.array(root, "architectures", CONTEXT);
        if (array.isEmpty()) {
            throw in.error(root, "architectures", "\"architectures\" is empty; list at least one of " + ids(List.of(Arch.values())));
        }
        SortedSet<Arch> arches = new TreeSet<>();
        List<String> names = in.strings(array, "architectures");
        for (int i = 0; i < names.size(); i++) {
            String id = names.get(i);
            Optional<Arch> arch = Arch.fromId(id);
            if (arch.isEmpty()) {
                List<String> near = Spelling.nearest(id, Arrays.stream(Arch.values()).map(Arch::id).toList(), 1);
                throw in.error(array, i, "unknown architecture \"" + id + "\"; "
                        + (near.isEmpty() ? "supported: " + ids(List.of(Arch.values())) : "did you mean \"" + near.get(0) + "\"?"));
            }
            if (!arches.add(arch.get())) {
                throw in.error(array, i, "architecture " + id + " is listed twice");
            }
        }
        return arches;
    }

    private static Arch baseArchitecture(JsonInput in, ObjectNode root, Set<Arch> arches) {
        Optional<String> id = in.optionalText(root, "baseArchitecture");
        if (id.isEmpty()) {
            if (arches.size() == 1) {
                return arches.iterator().next();
            }
            throw in.error(root, "missing \"baseArchitecture\": with several architectures, name the one whose "
                    + "syscall names the rules use, for example \"baseArchitecture\": \"x86_64\"");
        }
        return Arch.fromId(id.get()).filter(arches::contains).orElseThrow(() -> in.error(root, "baseArchitecture",
                "\"baseArchitecture\" is \"" + id.get() + "\", which is not in \"architectures\" (" + ids(arches) + ")"));
    }

    /** Reads rule entries; {@code only} is the architecture of an override list, or null for the shared rules. */
    private static List<Written> writtenRules(JsonInput in, ArrayNode array, Set<Arch> arches, Arch base, Arch only) {
        List<Written> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            ObjectNode node = in.element(array, i, "a rule");
            Location where = in.at(array, i);
            in.allowOnly(node, "a rule", RULE);
            String syscall = in.text(node, "syscall", "a rule");
            String action = in.text(node, "action", "a rule");
            List<String> conditions = in.optionalArray(node, "if").map(a -> in.strings(a, "conditions")).orElse(List.of());
            boolean removal = only != null && action.equals(DEFAULT);
            String reason = removal ? in.optionalText(node, "reason").orElse("")
                    : in.optionalText(node, "reason").orElseThrow(() -> in.error(node, "missing \"reason\" in the rule "
                    + "for " + syscall + ": say why it exists; reviewers and violation reports show it"));
            if (removal && !conditions.isEmpty()) {
                throw in.error(node, "if", "\"action\": \"default\" removes every rule of " + syscall + " on "
                        + only.id() + " and takes no conditions");
            }
            Collection<Arch> scope = only == null ? arches : List.of(only);
            if (scope.stream().noneMatch(arch -> SyscallTable.of(arch).contains(syscall))) {
                Arch suggestFrom = only == null ? base : only;
                List<String> near = SyscallTable.of(suggestFrom).nearest(syscall, 3);
                throw in.error(node, "syscall", "unknown syscall \"" + syscall + "\" on " + ids(scope)
                        + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?"));
            }
            Written written = new Written(syscall, conditions, action, reason, where);
            if (!removal) {
                located(where, () -> RuleSyntax.parseAction(action));
            }
            out.add(written);
        }
        return out;
    }

    /**
     * The rules one architecture gets from rules written once: as written where it has the syscall, else for the
     * equivalent — unless rules are written for the equivalent itself, which then apply instead (rules for
     * {@code clone} are not widened because {@code fork}, translated, would allow all of {@code clone}). The one
     * translation the reader, the writer and {@link PolicyGenerator} share.
     */
    private static List<Placed> derive(List<Written> written, Arch base, Arch target, Set<Arch> arches,
                                       List<String> warnings) {
        SyscallTable table = SyscallTable.of(target);
        List<Placed> direct = new ArrayList<>();
        Map<String, List<Rule>> directBySyscall = new HashMap<>();
        for (Written w : written) {
            if (table.contains(w.syscall())) {
                Rule rule = resolve(target, w.syscall(), w, base);
                direct.add(new Placed(rule, w.where(), ""));
                directBySyscall.computeIfAbsent(rule.syscall(), s -> new ArrayList<>()).add(rule);
            }
        }
        List<Placed> translated = new ArrayList<>();
        Set<String> warned = new HashSet<>();
        for (Written w : written) {
            if (table.contains(w.syscall())) {
                continue;
            }
            Arch from = SyscallTable.of(base).contains(w.syscall()) ? base
                    : arches.stream().filter(a -> SyscallTable.of(a).contains(w.syscall())).findFirst().orElse(base);
            Optional<Equivalent> equivalent = Symbols.translate(w.syscall(), from, target);
            if (equivalent.isEmpty()) {
                if (warned.add(w.syscall())) {
                    warnings.add(at(w.where()) + w.syscall() + " does not exist on " + target.id() + " and has no "
                            + "equivalent there (" + Symbols.absence(w.syscall(), from, target) + "); its rules are "
                            + "left out on " + target.id());
                }
                continue;
            }
            if (!w.conditions().isEmpty()) {
                warnings.add(at(w.where()) + w.syscall() + " does not exist on " + target.id() + ", and its "
                        + "equivalent " + String.join(", ", equivalent.get().names()) + " takes different arguments, so "
                        + "this rule with conditions is left out on " + target.id() + "; add an override for "
                        + target.id() + " if it is needed");
                continue;
            }
            Action action = RuleSyntax.parseAction(w.action());
            List<String> added = new ArrayList<>();
            for (String name : equivalent.get().names()) {
                List<Rule> own = directBySyscall.getOrDefault(name, List.of());
                if (own.isEmpty()) {
                    added.add(name);
                    translated.add(new Placed(new Rule(name, action, List.of(), w.reason()), w.where(),
                            " (as the " + target.id() + " equivalent of " + w.syscall() + ")"));
                } else if (own.stream().noneMatch(r -> r.unconditional() && r.action().equals(action))
                        && warned.add(w.syscall() + " " + name)) {
                    warnings.add(at(w.where()) + w.syscall() + " does not exist on " + target.id() + "; its "
                            + "equivalent " + name + " has rules of its own there, which apply instead");
                }
            }
            if (!added.isEmpty() && warned.add(w.syscall())) {
                boolean superset = equivalent.get().exactness() == Equivalent.Exactness.SUPERSET;
                String names = String.join(", ", added);
                warnings.add(at(w.where()) + w.syscall() + " does not exist on " + target.id() + "; there its rules "
                        + "apply to its " + (superset ? "equivalent " : "exact equivalent ") + names
                        + (superset ? ", a SUPERSET (" + equivalent.get().note() + "), so they cover more on "
                        + target.id() + " than on " + from.id() + "; add an override for " + target.id()
                        + " to narrow them" : ""));
            }
        }
        direct.addAll(translated);
        return direct;
    }

    /** The rule on {@code arch}; a condition error names the architecture when it is not the one the rules are for. */
    private static Rule resolve(Arch arch, String syscall, Written w, Arch base) {
        Action action = located(w.where(), () -> RuleSyntax.parseAction(w.action()));
        List<Condition> conditions = new ArrayList<>();
        for (String text : w.conditions()) {
            conditions.add(located(w.where(), () -> {
                try {
                    return RuleSyntax.parseCondition(arch, syscall, text);
                } catch (InvalidPolicyException e) {
                    throw arch == base ? e : new InvalidPolicyException(e.getMessage() + " (on " + arch.id() + ")");
                }
            }));
        }
        return new Rule(syscall, action, conditions, w.reason());
    }

    /** Refuses contradictions with both lines named; duplicates are left to {@link Policy}, which keeps the first. */
    private static List<Rule> checked(Arch arch, List<Placed> placed) {
        Map<String, Placed> byKey = new HashMap<>();
        List<Rule> rules = new ArrayList<>();
        for (Placed p : placed) {
            Placed earlier = byKey.putIfAbsent(p.rule.syscall() + " " + p.rule.conditions(), p);
            if (earlier != null && !earlier.rule.action().equals(p.rule.action())) {
                throw new InvalidPolicyException("contradicting rules on " + arch.id() + ": " + p.rule.syscall()
                        + p.origin + " is " + RuleSyntax.formatAction(p.rule.action()) + " here but "
                        + RuleSyntax.formatAction(earlier.rule.action()) + earlier.origin + " at line "
                        + earlier.where.line() + " under the same conditions; keep one of them", p.where, null);
            }
            rules.add(p.rule);
        }
        return rules;
    }

    private static String at(Location where) {
        return where == null ? "" : where + ": ";
    }

    private static <T> T located(Location where, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidPolicyException e) {
            if (e.location() != null) {
                throw e;
            }
            throw new InvalidPolicyException(e.getMessage(), where, null);
        }
    }

    private static String ids(Collection<Arch> arches) {
        return String.join(", ", arches.stream().map(Arch::id).toList());
    }

    /**
     * The canonical text, with rules in the names of the architecture that needs the fewest overrides (the
     * first in {@link Arch} order on a tie, so the choice is stable).
     */
    public static String write(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        if (policy.architectures().isEmpty()) {
            throw new IllegalArgumentException("a policy without architectures cannot be written: it would allow nothing anywhere");
        }
        Arch best = null;
        int fewest = Integer.MAX_VALUE;
        for (Arch arch : policy.architectures()) {
            int count = overrides(policy, arch).values().stream().mapToInt(Map::size).sum();
            if (count < fewest) {
                best = arch;
                fewest = count;
            }
        }
        return write(policy, best);
    }

    /** The canonical text with rules in the names of {@code base}. */
    public static String write(Policy policy, Arch base) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(base, "base");
        if (!policy.architectures().contains(base)) {
            throw new IllegalArgumentException("base architecture " + base.id() + " is not one of the policy's: "
                    + ids(policy.architectures()));
        }
        ObjectNode root = Json.object();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("defaultAction", RuleSyntax.formatAction(policy.defaultAction()));
        ArrayNode arches = root.putArray("architectures");
        policy.architectures().stream().map(Arch::id).sorted().forEach(arches::add);
        root.put("baseArchitecture", base.id());
        ArrayNode rules = root.putArray("rules");
        for (Written w : written(policy, base)) {
            rules.add(node(w));
        }
        Map<Arch, SortedMap<String, List<Rule>>> overrides = overrides(policy, base);
        if (overrides.values().stream().anyMatch(map -> !map.isEmpty())) {
            ObjectNode node = root.putObject("overrides");
            overrides.forEach((arch, bySyscall) -> {
                if (bySyscall.isEmpty()) {
                    return;
                }
                ArrayNode list = node.putArray(arch.id());
                bySyscall.forEach((syscall, replacement) -> {
                    if (replacement.isEmpty()) {
                        list.addObject().put("syscall", syscall).put("action", DEFAULT);
                    }
                    replacement.forEach(rule -> list.add(node(written(arch, rule))));
                });
            });
        }
        RuntimeOptions options = policy.runtimeOptions();
        if (!options.equals(RuntimeOptions.none())) {
            ObjectNode runtime = root.putObject("runtime");
            if (!options.flags().isEmpty()) {
                ArrayNode flags = runtime.putArray("flags");
                options.flags().forEach(flags::add);
            }
            if (!options.listenerPath().isEmpty()) {
                runtime.put("listenerPath", options.listenerPath());
            }
            if (!options.listenerMetadata().isEmpty()) {
                runtime.put("listenerMetadata", options.listenerMetadata());
            }
        }
        return Json.writeInInsertionOrder(root);
    }

    /** The line this rule has in a policy file whose rules are in {@code arch}'s names, without the comma. */
    public static String line(Arch arch, Rule rule) {
        return Json.lineInInsertionOrder(node(written(arch, rule)));
    }

    private static ObjectNode node(Written w) {
        ObjectNode node = Json.object();
        node.put("syscall", w.syscall());
        if (!w.conditions().isEmpty()) {
            ArrayNode conditions = node.putArray("if");
            w.conditions().forEach(conditions::add);
        }
        node.put("action", w.action());
        node.put("reason", w.reason());
        return node;
    }

    private static List<Written> written(Policy policy, Arch arch) {
        return policy.rules(arch).stream().map(rule -> written(arch, rule)).toList();
    }

    static Written written(Arch arch, Rule rule) {
        if (!SyscallTable.of(arch).contains(rule.syscall())) {
            throw new InvalidPolicyException("cannot write the rule " + rule + ": " + rule.syscall() + " is not an "
                    + arch.id() + " syscall");
        }
        List<String> conditions = rule.conditions().stream()
                .map(c -> RuleSyntax.formatCondition(arch, rule.syscall(), c)).toList();
        return new Written(rule.syscall(), conditions, RuleSyntax.formatAction(rule.action()), rule.reason(), null);
    }

    /**
     * Per architecture other than {@code base}, the syscalls whose rules translation from {@code base} does not
     * reproduce, with the rules they must have instead (empty: none).
     */
    private static Map<Arch, SortedMap<String, List<Rule>>> overrides(Policy policy, Arch base) {
        List<Written> shared = written(policy, base);
        Map<Arch, SortedMap<String, List<Rule>>> result = new TreeMap<>();
        for (Arch arch : policy.architectures()) {
            if (arch == base) {
                continue;
            }
            Map<String, List<Rule>> derived = new LinkedHashMap<>();
            for (Placed p : derive(shared, base, arch, policy.architectures(), new ArrayList<>())) {
                derived.computeIfAbsent(p.rule.syscall(), s -> new ArrayList<>()).add(p.rule);
            }
            SortedSet<String> syscalls = new TreeSet<>(derived.keySet());
            policy.rules(arch).forEach(rule -> syscalls.add(rule.syscall()));
            SortedMap<String, List<Rule>> needed = new TreeMap<>();
            for (String syscall : syscalls) {
                List<Rule> actual = policy.rules(arch, syscall);
                if (!actual.equals(normalized(derived.getOrDefault(syscall, List.of())))) {
                    needed.put(syscall, actual);
                }
            }
            result.put(arch, needed);
        }
        return result;
    }

    /** What {@link Policy} makes of one syscall's rules: duplicates dropped (first kept), sorted; null if contradictory. */
    private static List<Rule> normalized(List<Rule> rules) {
        Map<List<Condition>, Rule> byConditions = new LinkedHashMap<>();
        for (Rule rule : rules) {
            Rule earlier = byConditions.putIfAbsent(rule.conditions(), rule);
            if (earlier != null && !earlier.action().equals(rule.action())) {
                return null;
            }
        }
        List<Rule> out = new ArrayList<>(byConditions.values());
        out.sort(null);
        return out;
    }

    /**
     * The rules {@code target} gets when {@code rules}, in {@code base}'s names, are written once: the translation
     * a policy file applies, for {@link PolicyGenerator} to give unrecorded architectures exactly what the file
     * written from its policy will say.
     */
    static List<Rule> translate(List<Rule> rules, Arch base, Arch target, Set<Arch> arches, List<String> warnings) {
        List<Written> written = rules.stream().map(rule -> written(base, rule)).toList();
        return derive(written, base, target, arches, warnings).stream().map(Placed::rule).toList();
    }
}
