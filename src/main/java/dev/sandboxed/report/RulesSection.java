package dev.sandboxed.report;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.PolicyFormat;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rules that do more than allow a name: argument conditions and actions other than allow. They carry the
 * policy's judgement (which socket families, no namespaces, no executable memory), so they are shown exactly as the
 * policy file writes them, once for all architectures that share the line.
 */
final class RulesSection {

    private RulesSection() {
    }

    static void write(Html h, ReportFacts facts) {
        Map<String, Placed> lines = new LinkedHashMap<>();
        for (Arch arch : facts.arches()) {
            for (Rule rule : facts.policy().rules(arch)) {
                if (rule.unconditional() && rule.action().equals(Action.allow())) {
                    continue;
                }
                String line = PolicyFormat.line(arch, rule);
                lines.computeIfAbsent(line, l -> new Placed(rule.syscall(), new TreeSet<>())).arches().add(arch);
            }
        }
        h.open("section", "id", "rules").newline();
        h.open("h2").text("Argument rules and exceptions").element("span", "pill", Html.format(lines.size()))
                .close("h2").newline();
        h.open("p", "class", "intro").text("Rules with argument conditions or an action other than allow, exactly as ")
                .element("code", null, PolicyFormat.DEFAULT_LOCATION.toString())
                .text(" writes them. Everything no rule decides gets the default action, ")
                .element("code", null, RuleText.action(facts.policy().defaultAction())).text(".").close("p").newline();
        if (lines.isEmpty()) {
            h.element("p", "note info", "Every rule allows its syscall outright, whatever the arguments.").newline();
            h.close("section").newline();
            return;
        }
        boolean severalArches = facts.arches().size() > 1;
        h.open("div", "class", "panel scroll").open("table").newline();
        h.raw("<thead><tr><th>Syscall</th><th>Line in the policy file</th>" + (severalArches ? "<th>On</th>" : "")
                + "</tr></thead>").newline();
        h.open("tbody").newline();
        lines.entrySet().stream()
                .sorted(Map.Entry.<String, Placed>comparingByValue((a, b) -> a.syscall().compareTo(b.syscall()))
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> {
                    Placed placed = entry.getValue();
                    h.open("tr", "class", Risk.of(placed.syscall()).map(r -> "risk-" + r.level().label()).orElse(null));
                    h.open("td", "class", "sys").element("code", null, placed.syscall()).close("td");
                    h.breakableElement("td", "mono small", entry.getKey());
                    if (severalArches) {
                        h.element("td", "small muted", placed.arches().size() == facts.arches().size() ? "all"
                                : placed.arches().stream().map(Arch::id).collect(Collectors.joining(", ")));
                    }
                    h.close("tr").newline();
                });
        h.close("tbody").close("table").close("div").newline();
        h.close("section").newline();
    }

    private record Placed(String syscall, SortedSet<Arch> arches) {
    }
}
