package dev.sandboxed.report;

import dev.sandboxed.syscall.Arch;

import java.util.List;
import java.util.Map;

/**
 * The dangerous calls the policy lets through, worst first, each with what it exposes and who needed it. This is
 * where review time is best spent; a risky call no recorded program made is the clearest thing to remove.
 */
final class RiskSection {

    private RiskSection() {
    }

    static void write(Html h, ReportFacts facts) {
        List<ReportFacts.RiskyAllowance> risky = facts.risky();
        h.open("section", "id", "risky").newline();
        long outright = risky.stream().filter(r -> !r.narrowedEverywhere()).count();
        h.open("h2").text("Risky syscalls").element("span", outright > 0 ? "pill warn" : "pill",
                Html.format(risky.size())).close("h2").newline();
        if (risky.isEmpty()) {
            h.element("p", "intro", "The policy allows none of the system calls known to expose the kernel's weakest "
                    + "code, other processes or the machine itself.").newline();
            h.close("section").newline();
            return;
        }
        h.element("p", "intro", "System calls the policy allows that reach the kernel's least hardened code, other "
                + "processes or the whole machine. Each should have a reason; one allowed only for some arguments is "
                + "narrowed, and one no recorded program made is a candidate for removal.").newline();
        h.open("div", "class", "panel scroll").open("table").newline();
        h.raw("<thead><tr><th>Syscall</th><th>Risk</th><th>Allowed</th><th>Used by</th><th>Why it matters</th></tr>"
                + "</thead>").newline();
        h.open("tbody").newline();
        for (ReportFacts.RiskyAllowance r : risky) {
            String level = r.risk().level().label();
            h.open("tr", "class", "risk-" + level);
            h.open("td", "class", "sys").element("code", null, r.syscall()).close("td");
            h.open("td").element("span", "badge " + level, level).close("td");
            h.open("td");
            allowance(h, r);
            h.close("td");
            h.open("td", "class", "small");
            if (!facts.recorded()) {
                h.element("span", "muted", "no recording");
            } else if (r.users().isEmpty()) {
                h.element("span", "badge medium", "never recorded");
            } else {
                r.users().forEach(user -> h.element("span", "cond", user));
            }
            h.close("td");
            h.element("td", "small", Html.sentence(r.risk().reason()));
            h.close("tr").newline();
        }
        h.close("tbody").close("table").close("div").newline();
        h.close("section").newline();
    }

    private static void allowance(Html h, ReportFacts.RiskyAllowance r) {
        boolean uniform = r.allowance().values().stream().distinct().count() == 1
                && r.conditions().values().stream().distinct().count() == 1;
        for (Map.Entry<Arch, Allowance> entry : r.allowance().entrySet()) {
            String prefix = uniform ? "" : entry.getKey().id() + ": ";
            if (entry.getValue() == Allowance.ALLOWED) {
                h.open("div").text(prefix).element("span", "badge plain", "always").close("div");
            } else {
                h.open("div").text(prefix).element("span", "badge narrowed", "only if").close("div");
                List<String> conditions = r.conditions().get(entry.getKey());
                if (conditions.isEmpty()) {
                    h.element("span", "cond", "not for the argument values its other rules refuse");
                }
                conditions.forEach(condition -> h.breakableElement("span", "cond", condition));
            }
            if (uniform) {
                break;
            }
        }
    }
}
