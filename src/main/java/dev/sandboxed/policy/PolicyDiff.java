package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two policies, rule by rule and per architecture: what a reviewer must judge when a new
 * recording proposes a new policy. A rule is identified by its syscall and conditions; the same rule with another
 * action or reason is a change, anything else an addition or removal.
 *
 * @param defaultBefore the old default action
 * @param defaultAfter the new default action
 * @param added rules only the new policy has
 * @param removed rules only the old policy has
 * @param changed rules both have, with another action or reason
 */
public record PolicyDiff(Action defaultBefore, Action defaultAfter, List<Placed> added, List<Placed> removed,
                         List<Changed> changed) {

    /** A rule on one architecture. */
    public record Placed(Arch arch, Rule rule) {
    }

    /** One rule, before and after. */
    public record Changed(Arch arch, Rule before, Rule after) {
    }

    public PolicyDiff {
        Objects.requireNonNull(defaultBefore, "defaultBefore");
        Objects.requireNonNull(defaultAfter, "defaultAfter");
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public static PolicyDiff between(Policy before, Policy after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        List<Placed> added = new ArrayList<>();
        List<Placed> removed = new ArrayList<>();
        List<Changed> changed = new ArrayList<>();
        SortedSet<Arch> arches = new TreeSet<>(before.architectures());
        arches.addAll(after.architectures());
        for (Arch arch : arches) {
            Map<String, Rule> old = byKey(before.rules(arch));
            Map<String, Rule> now = byKey(after.rules(arch));
            old.forEach((key, rule) -> {
                Rule next = now.get(key);
                if (next == null) {
                    removed.add(new Placed(arch, rule));
                } else if (!next.equals(rule)) {
                    changed.add(new Changed(arch, rule, next));
                }
            });
            now.forEach((key, rule) -> {
                if (!old.containsKey(key)) {
                    added.add(new Placed(arch, rule));
                }
            });
        }
        return new PolicyDiff(before.defaultAction(), after.defaultAction(), added, removed, changed);
    }

    private static Map<String, Rule> byKey(List<Rule> rules) {
        Map<String, Rule> map = new LinkedHashMap<>();
        rules.forEach(rule -> map.put(rule.syscall() + " " + rule.conditions(), rule));
        return map;
    }

    public boolean isEmpty() {
        return defaultBefore.equals(defaultAfter) && added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /**
     * A review text: the lines a policy file loses ({@code -}) and gains ({@code +}), exactly as the file writes
     * them in each architecture's names, under a heading naming the architectures they apply to; a change shows
     * both lines. Identical lines on several architectures appear once.
     */
    public String render() {
        if (isEmpty()) {
            return "no changes\n";
        }
        StringBuilder out = new StringBuilder();
        if (!defaultBefore.equals(defaultAfter)) {
            out.append("defaultAction: ").append(RuleSyntax.formatAction(defaultBefore)).append(" -> ")
                    .append(RuleSyntax.formatAction(defaultAfter)).append('\n');
        }
        record Hunk(String syscall, String text) {
        }
        Map<Hunk, SortedSet<Arch>> hunks = new LinkedHashMap<>();
        removed.forEach(p -> hunks.computeIfAbsent(new Hunk(p.rule().syscall(), "- " + line(p.arch(), p.rule())),
                k -> new TreeSet<>()).add(p.arch()));
        changed.forEach(c -> hunks.computeIfAbsent(new Hunk(c.before().syscall(), "- " + line(c.arch(), c.before())
                + "\n+ " + line(c.arch(), c.after())), k -> new TreeSet<>()).add(c.arch()));
        added.forEach(p -> hunks.computeIfAbsent(new Hunk(p.rule().syscall(), "+ " + line(p.arch(), p.rule())),
                k -> new TreeSet<>()).add(p.arch()));
        Map<String, List<Hunk>> byArches = new TreeMap<>(Comparator.comparing((String s) -> s.split(", ").length)
                .reversed().thenComparing(Comparator.naturalOrder()));
        hunks.forEach((hunk, arches) -> byArches.computeIfAbsent(
                String.join(", ", arches.stream().map(Arch::id).sorted().toList()), k -> new ArrayList<>()).add(hunk));
        byArches.forEach((arches, list) -> {
            out.append(arches).append(":\n");
            list.stream()
                    .sorted(Comparator.comparing(Hunk::syscall).thenComparing(h -> h.text().charAt(0) == '+')
                            .thenComparing(Hunk::text))
                    .forEach(hunk -> out.append(hunk.text()).append('\n'));
        });
        long changes = hunks.keySet().stream().filter(h -> h.text().contains("\n")).count();
        long additions = hunks.keySet().stream().filter(h -> h.text().startsWith("+")).count();
        long removals = hunks.size() - changes - additions;
        out.append(additions).append(" added, ").append(removals).append(" removed, ").append(changes)
                .append(" changed\n");
        return out.toString();
    }

    private static String line(Arch arch, Rule rule) {
        return PolicyFormat.line(arch, rule);
    }
}
