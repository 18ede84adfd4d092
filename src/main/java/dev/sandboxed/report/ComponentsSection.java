package dev.sandboxed.report;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.SyscallUse;
import dev.sandboxed.syscall.Arch;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Per program, what it does and what the policy lets it do, grouped by purpose: the view that answers "why does
 * this need that?". Counts, argument values, runs and the rule deciding each call sit side by side, so a call seen
 * in only some runs (the usual cause of a flaky policy) or narrowed by an argument rule is visible at a glance.
 */
final class ComponentsSection {

    private static final int OPEN_LIST_LIMIT = 30;

    private ComponentsSection() {
    }

    static void write(Html h, ReportFacts facts) {
        h.open("section", "id", "components").newline();
        h.open("h2").text(facts.recorded() ? "Components" : "Allowed syscalls")
                .element("span", "pill", Html.format(facts.subjects().size())).close("h2").newline();
        if (facts.recorded()) {
            h.element("p", "intro", "Each program the recording saw, with the system calls it made grouped by purpose, "
                    + "how often, with which argument values, and what the policy decides for them.").newline();
        } else {
            h.element("p", "intro", "No recording was given, so this lists what the policy allows, per architecture, "
                    + "grouped by purpose.").newline();
        }
        for (ReportFacts.Subject subject : facts.subjects()) {
            subject(h, facts, subject);
        }
        if (facts.recorded()) {
            unrecorded(h, facts);
        }
        h.close("section").newline();
    }

    private static void subject(Html h, ReportFacts facts, ReportFacts.Subject subject) {
        Arch arch = subject.arch();
        Optional<Component> component = subject.recorded();
        SortedSet<String> names = component.<SortedSet<String>>map(c -> new TreeSet<>(c.syscalls().keySet()))
                .orElseGet(() -> facts.permitted(arch));
        h.open("details", "class", "component", "open", "").newline();
        h.open("summary").element("span", "exe", subject.name()).open("span", "class", "facts");
        h.open("span").text(arch.id()).close("span");
        h.open("span").element("b", null, Html.format(names.size())).text(names.size() == 1 ? " syscall" : " syscalls")
                .close("span");
        component.ifPresent(c -> {
            long calls = c.syscalls().values().stream().mapToLong(SyscallUse::count).sum();
            h.open("span").element("b", null, Html.format(calls)).text(calls == 1 ? " call" : " calls").close("span");
            h.open("span").element("b", null, Html.format(c.paths().size()))
                    .text(c.paths().size() == 1 ? " path" : " paths").close("span");
            h.open("span").element("b", null, Html.format(c.addresses().size()))
                    .text(c.addresses().size() == 1 ? " address" : " addresses").close("span");
        });
        long refused = names.stream().filter(name -> !Allowance.of(facts.policy(), arch, name).permitsSome()).count();
        if (component.isPresent() && refused > 0) {
            h.element("span", "badge refused", Html.format(refused) + " refused by the policy");
        }
        h.close("span").close("summary").newline();
        h.open("div", "class", "body").newline();
        Map<Purpose, List<String>> groups = groups(names);
        purposeBar(h, groups);
        for (Map.Entry<Purpose, List<String>> group : groups.entrySet()) {
            group(h, facts, subject, group.getKey(), group.getValue());
        }
        component.ifPresent(c -> {
            paths(h, c);
            addresses(h, c);
        });
        h.close("div").newline();
        h.close("details").newline();
    }

    /** Permitted calls no recorded program made, per recorded architecture: candidates for removal. */
    private static void unrecorded(Html h, ReportFacts facts) {
        Set<Arch> recordedArches = new LinkedHashSet<>();
        facts.subjects().forEach(s -> recordedArches.add(s.arch()));
        for (Arch arch : facts.arches()) {
            if (!recordedArches.contains(arch)) {
                h.open("p", "class", "note info").text("No program was recorded on " + arch.id() + "; its rules are "
                        + "those of the recorded architecture, carried over to " + arch.id() + "'s syscall names.")
                        .close("p").newline();
                continue;
            }
            SortedSet<String> unused = new TreeSet<>(facts.permitted(arch));
            facts.subjects().stream().filter(s -> s.arch() == arch).forEach(s ->
                    s.recorded().ifPresent(c -> unused.removeAll(c.syscalls().keySet())));
            if (unused.isEmpty()) {
                continue;
            }
            ReportFacts.Subject subject = new ReportFacts.Subject(arch, "Allowed, but not recorded", Optional.empty());
            h.open("details", "class", "component unrecorded", "open", "").newline();
            h.open("summary").element("span", "exe title", subject.name()).open("span", "class", "facts");
            h.open("span").text(arch.id()).close("span");
            h.open("span").element("b", null, Html.format(unused.size())).text(unused.size() == 1 ? " syscall" : " syscalls")
                    .close("span");
            h.close("span").close("summary").newline();
            h.open("div", "class", "body").newline();
            h.element("p", "intro", "The policy allows these although no recorded program made them: rules kept "
                    + "from the committed policy or added for a reason. Each is a candidate for removal unless its "
                    + "reason says why it is needed.").newline();
            Map<Purpose, List<String>> groups = groups(unused);
            for (Map.Entry<Purpose, List<String>> group : groups.entrySet()) {
                group(h, facts, subject, group.getKey(), group.getValue());
            }
            h.close("div").newline();
            h.close("details").newline();
        }
    }

    private static Map<Purpose, List<String>> groups(SortedSet<String> names) {
        Map<Purpose, List<String>> groups = new EnumMap<>(Purpose.class);
        for (String name : names) {
            groups.computeIfAbsent(Purpose.of(name), p -> new ArrayList<>()).add(name);
        }
        return groups;
    }

    private static String purposeClass(Purpose purpose) {
        return "p-" + purpose.name().toLowerCase(Locale.ROOT);
    }

    private static void purposeBar(Html h, Map<Purpose, List<String>> groups) {
        h.open("div", "class", "bar", "role", "img", "aria-label", "syscalls by purpose");
        groups.forEach((purpose, names) -> h.open("span", "class", purposeClass(purpose), "style",
                "flex: " + names.size() + " 1 0", "title", purpose.title() + ": " + names.size()).close("span"));
        h.close("div").newline();
        h.open("div", "class", "legend");
        groups.forEach((purpose, names) -> h.element("span", purposeClass(purpose),
                purpose.title() + " " + names.size()));
        h.close("div").newline();
    }

    private static void group(Html h, ReportFacts facts, ReportFacts.Subject subject, Purpose purpose,
                              List<String> names) {
        boolean recorded = subject.recorded().isPresent();
        h.open("div", "class", "group " + purposeClass(purpose)).newline();
        h.open("h4").text(purpose.title()).element("span", "pill", Html.format(names.size())).close("h4");
        h.element("p", "desc", Html.sentence(purpose.description())).newline();
        h.open("div", "class", "scroll").open("table", "class", "fixed");
        if (recorded) {
            h.raw("<colgroup><col style=\"width:27%\"><col style=\"width:9%\"><col style=\"width:36%\">"
                    + "<col style=\"width:28%\"></colgroup>");
            h.raw("<thead><tr><th>Syscall</th><th class=\"num\">Calls</th><th>Arguments seen</th><th>Policy</th></tr>"
                    + "</thead>");
        } else {
            h.raw("<colgroup><col style=\"width:27%\"><col style=\"width:35%\"><col style=\"width:38%\"></colgroup>");
            h.raw("<thead><tr><th>Syscall</th><th>Policy</th><th>Reason</th></tr></thead>");
        }
        h.open("tbody").newline();
        for (String name : names) {
            Optional<Risk> risk = Risk.of(name);
            h.open("tr", "class", risk.map(r -> "risk-" + r.level().label()).orElse(null));
            Optional<SyscallUse> use = subject.recorded().map(c -> c.syscalls().get(name));
            int runs = facts.input().recording().map(r -> r.runCount()).orElse(0);
            h.open("td", "class", "name").element("code", null, name);
            risk.ifPresent(r -> h.text(" ").element("span", "badge " + r.level().label(), r.level().label()));
            if (use.isPresent() && use.get().runsSeen() < runs) {
                h.text(" ").element("span", "badge flaky", "seen in " + use.get().runsSeen() + "/" + runs + " runs");
            }
            h.close("td");
            if (use.isPresent()) {
                h.open("td", "class", "num").number(use.get().count()).close("td");
                h.open("td", "class", "args");
                Arguments.write(h, Optional.of(subject.arch()), name, use.get().argumentValues());
                h.close("td");
                h.open("td");
                policy(h, facts.policy(), subject.arch(), name);
                h.close("td");
            } else {
                h.open("td");
                policy(h, facts.policy(), subject.arch(), name);
                h.close("td");
                h.element("td", "small muted", reasons(facts.policy(), subject.arch(), name));
            }
            h.close("tr").newline();
        }
        h.close("tbody").close("table").close("div").newline();
        h.close("div").newline();
    }

    /** What the policy decides for a syscall, in the file's own words. */
    static void policy(Html h, Policy policy, Arch arch, String syscall) {
        List<Rule> rules = policy.rules(arch, syscall);
        switch (Allowance.of(policy, arch, syscall)) {
            case ALLOWED -> {
                boolean logged = rules.stream().anyMatch(r -> r.unconditional() && r.action().kind() == Action.Kind.LOG)
                        || (rules.isEmpty() && policy.defaultAction().kind() == Action.Kind.LOG);
                h.element("span", "badge ok", logged ? "allowed, logged" : rules.isEmpty() ? "allowed by default"
                        : "allowed");
            }
            case CONDITIONAL -> {
                h.element("span", "badge narrowed", "only if");
                for (Rule rule : rules) {
                    if (rule.unconditional()) {
                        continue;
                    }
                    RuleText text = RuleText.of(arch, rule);
                    h.breakableElement("span", "cond", rule.action().permits() ? text.condition()
                            : "not if " + text.condition() + " \u2192 " + text.action());
                }
            }
            case DENIED -> {
                Action decides = rules.stream().filter(r -> r.unconditional() && !r.action().permits())
                        .map(Rule::action).findFirst().orElse(policy.defaultAction());
                h.element("span", "badge refused", "refused").text(" ")
                        .element("code", null, RuleText.action(decides));
            }
        }
    }

    private static String reasons(Policy policy, Arch arch, String syscall) {
        Set<String> reasons = new LinkedHashSet<>();
        for (Rule rule : policy.rules(arch, syscall)) {
            if (!rule.reason().isEmpty()) {
                reasons.add(rule.reason());
            }
        }
        return reasons.isEmpty() ? "\u2013" : String.join("; ", reasons);
    }

    private static void paths(Html h, Component component) {
        if (component.paths().isEmpty()) {
            return;
        }
        h.open("details", "class", "sub", "open", component.paths().size() <= OPEN_LIST_LIMIT ? "" : null);
        h.open("summary").text("File paths").element("span", "pill", Html.format(component.paths().size()))
                .close("summary").newline();
        h.open("div", "class", "scroll").open("table").raw("<thead><tr><th>Path</th><th>Access</th></tr></thead>")
                .open("tbody").newline();
        component.paths().forEach((path, access) -> {
            h.open("tr").element("td", "mono small", path).open("td").open("span", "class", "access");
            for (FileAccess a : access) {
                h.element("span", a.name(), a.name().toLowerCase(Locale.ROOT));
            }
            h.close("span").close("td").close("tr").newline();
        });
        h.close("tbody").close("table").close("div").close("details").newline();
    }

    private static void addresses(Html h, Component component) {
        if (component.addresses().isEmpty()) {
            return;
        }
        h.open("details", "class", "sub", "open", component.addresses().size() <= OPEN_LIST_LIMIT ? "" : null);
        h.open("summary").text("Network and socket addresses")
                .element("span", "pill", Html.format(component.addresses().size())).close("summary").newline();
        h.open("div", "class", "scroll").open("table")
                .raw("<thead><tr><th style=\"width:14%\">Use</th><th>Address</th></tr></thead>").open("tbody").newline();
        for (String entry : component.addresses()) {
            int space = entry.indexOf(' ');
            String use = space < 0 ? "" : entry.substring(0, space);
            String address = space < 0 ? entry : entry.substring(space + 1);
            h.open("tr").open("td").element("span", "badge plain", use.isEmpty() ? "used" : use).close("td")
                    .element("td", "mono small", address).close("tr").newline();
        }
        h.close("tbody").close("table").close("div").close("details").newline();
    }
}
