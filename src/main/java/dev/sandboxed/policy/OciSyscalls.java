package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A policy restated as the {@code syscalls} entries of the OCI seccomp schema, which Docker profiles and
 * Kubernetes {@code SeccompProfile}s share. Both exporters write from this one translation so they cannot drift
 * apart.
 *
 * <p>The OCI schema is applied by runc and libseccomp, whose semantics differ from this plugin's model in three
 * places; the translation either bridges each difference exactly or refuses with a message saying what to change:
 * <ul>
 *   <li>libseccomp compares all 64 bits of an argument. A 32-bit equality becomes a masked equality on the low
 *       word (exact); a 32-bit masked equality keeps its (32-bit) mask (exact); any other 32-bit comparison is
 *       refused.</li>
 *   <li>runc turns one entry with two conditions on the same argument into two separate rules (an OR), so such a
 *       rule is refused.</li>
 *   <li>runc silently skips entries whose action equals the default, and libseccomp does not rank overlapping
 *       rules by restrictiveness. Rules with the default action are left out, which is exact as long as no rule
 *       of the same syscall with another action can match the same call; where rules with different actions
 *       might overlap, the export is refused.</li>
 * </ul>
 */
final class OciSyscalls {

    /** One argument comparison as the OCI schema writes it; for masked equality {@code value} is the mask. */
    record Arg(int index, Operator op, long value, long valueTwo) implements Comparable<Arg> {

        @Override
        public int compareTo(Arg other) {
            int c = Integer.compare(index, other.index);
            if (c == 0) c = op.compareTo(other.op);
            if (c == 0) c = Long.compareUnsigned(value, other.value);
            if (c == 0) c = Long.compareUnsigned(valueTwo, other.valueTwo);
            return c;
        }
    }

    /**
     * One entry.
     *
     * @param arches the architectures the entry must be limited to, empty when it applies wherever its names exist
     * @param comment the reason shared by every rule of the entry, or empty
     */
    record Entry(Action action, List<Arg> args, SortedSet<Arch> arches, String comment, SortedSet<String> names) {
    }

    private OciSyscalls() {
    }

    static List<Entry> of(Policy policy, String format) {
        Map<Key, SortedSet<Arch>> archesByKey = new LinkedHashMap<>();
        Map<Key, Set<String>> reasonsByKey = new LinkedHashMap<>();
        for (Arch arch : policy.architectures()) {
            List<Rule> rules = policy.rules(arch);
            checkOverlaps(policy.defaultAction(), arch, rules, format);
            for (Rule rule : rules) {
                if (rule.action().equals(policy.defaultAction())) {
                    continue;
                }
                Key key = new Key(rule.syscall(), rule.action(), args(arch, rule, format));
                archesByKey.computeIfAbsent(key, k -> new TreeSet<>()).add(arch);
                reasonsByKey.computeIfAbsent(key, k -> new TreeSet<>()).add(rule.reason());
            }
        }
        Map<GroupKey, Entry> groups = new LinkedHashMap<>();
        Map<GroupKey, Set<String>> groupReasons = new LinkedHashMap<>();
        archesByKey.forEach((key, arches) -> {
            SortedSet<Arch> knowing = new TreeSet<>();
            for (Arch arch : policy.architectures()) {
                if (SyscallTable.of(arch).contains(key.syscall)) {
                    knowing.add(arch);
                }
            }
            SortedSet<Arch> limit = knowing.equals(arches) ? new TreeSet<>() : arches;
            GroupKey group = new GroupKey(key.action, key.args, limit);
            groups.computeIfAbsent(group, g -> new Entry(g.action, g.args, g.arches, "", new TreeSet<>()))
                    .names().add(key.syscall);
            groupReasons.computeIfAbsent(group, g -> new TreeSet<>()).addAll(reasonsByKey.get(key));
        });
        List<Entry> entries = new ArrayList<>();
        groups.forEach((group, entry) -> {
            Set<String> reasons = groupReasons.get(group);
            String comment = reasons.size() == 1 ? reasons.iterator().next() : "";
            entries.add(new Entry(entry.action(), entry.args(), Collections.unmodifiableSortedSet(entry.arches()), comment,
                    Collections.unmodifiableSortedSet(entry.names())));
        });
        entries.sort(Comparator.comparing((Entry e) -> e.names().first())
                .thenComparing(Entry::action)
                .thenComparing(e -> e.args().toString())
                .thenComparing(e -> e.arches().toString()));
        return List.copyOf(entries);
    }

    private record Key(String syscall, Action action, List<Arg> args) {
    }

    private record GroupKey(Action action, List<Arg> args, SortedSet<Arch> arches) {
    }

    private static List<Arg> args(Arch arch, Rule rule, String format) {
        List<Arg> args = new ArrayList<>();
        Set<Integer> indexes = new TreeSet<>();
        for (Condition c : rule.conditions()) {
            if (!indexes.add(c.index())) {
                throw refuse(arch, rule, format, "it has two conditions on argument " + c.index()
                        + ", which runc would apply as alternatives (OR), not together; split the range into rules "
                        + "with one condition per argument");
            }
            if (c.width() == Width.BITS64) {
                args.add(c.operator() == Operator.MASKED_EQ
                        ? new Arg(c.index(), Operator.MASKED_EQ, c.mask(), c.value())
                        : new Arg(c.index(), c.operator(), c.value(), 0));
            } else if (c.operator() == Operator.EQ) {
                args.add(new Arg(c.index(), Operator.MASKED_EQ, 0xffffffffL, c.value()));
            } else if (c.operator() == Operator.MASKED_EQ) {
                args.add(new Arg(c.index(), Operator.MASKED_EQ, c.mask(), c.value()));
            } else {
                throw refuse(arch, rule, format, "libseccomp compares all 64 bits of an argument, so a 32-bit \""
                        + c.operator().symbol() + "\" on argument " + c.index() + " has no equivalent; compare the "
                        + "full register instead (arg" + c.index() + ".64) if the upper half is known to be zero");
            }
        }
        args.sort(null);
        return List.copyOf(args);
    }

    /**
     * Refuses rules of one syscall whose outcome would change under runc and libseccomp; see the class comment. A
     * rule with the default action overlapping a more restrictive one is fine: dropping it leaves the same result.
     */
    private static void checkOverlaps(Action defaultAction, Arch arch, List<Rule> rules, String format) {
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size() && rules.get(j).syscall().equals(rules.get(i).syscall()); j++) {
                Rule a = rules.get(i);
                Rule b = rules.get(j);
                if (a.action().equals(b.action()) || !mayOverlap(a, b)) {
                    continue;
                }
                boolean aDefault = a.action().equals(defaultAction);
                boolean bDefault = b.action().equals(defaultAction);
                boolean harmless = aDefault && b.action().compareTo(defaultAction) < 0
                        || bDefault && a.action().compareTo(defaultAction) < 0;
                if (!harmless) {
                    throw refuse(arch, a, format, "it overlaps " + b + " with a different action, and " + format
                            + " does not give the more restrictive rule precedence as this plugin does; make the "
                            + "conditions exclusive (for example, different values of the same argument)");
                }
            }
        }
    }

    /** False only when some argument has bits two conditions require to differ, so no call can match both rules. */
    private static boolean mayOverlap(Rule a, Rule b) {
        for (Condition x : a.conditions()) {
            for (Condition y : b.conditions()) {
                if (x.index() == y.index() && pinned(x) != 0 && pinned(y) != 0
                        && ((x.value() ^ y.value()) & pinned(x) & pinned(y)) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The bits an equality fixes to its value; 0 for comparisons that fix none. */
    private static long pinned(Condition c) {
        long width = c.width() == Width.BITS32 ? 0xffffffffL : -1L;
        return switch (c.operator()) {
            case EQ -> width;
            case MASKED_EQ -> c.mask() & width;
            default -> 0;
        };
    }

    private static InvalidPolicyException refuse(Arch arch, Rule rule, String format, String why) {
        return new InvalidPolicyException("cannot export " + rule + " on " + arch.id() + " to " + format + ": " + why);
    }
}
