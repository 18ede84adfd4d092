package dev.sandboxed.report;

import dev.sandboxed.policy.PolicyFormat;
import dev.sandboxed.syscall.Arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The calls verification refused, each with the exact line that would allow it, so fixing a failed build is a
 * copy and a review, not a search through syscall tables. A dangerous call says so next to its fix: the quickest
 * fix is not always the right one.
 */
final class ViolationsSection {

    private static final Comparator<ReportViolation> ORDER = Comparator.comparing(ReportViolation::arch)
            .thenComparing(ReportViolation::syscall).thenComparingInt(ReportViolation::number)
            .thenComparing(ReportViolation::executable).thenComparing(ReportViolation::action);

    private ViolationsSection() {
    }

    static void write(Html h, ReportFacts facts) {
        Optional<List<ReportViolation>> violations = facts.input().violations();
        if (violations.isEmpty()) {
            return;
        }
        h.open("section", "id", "violations").newline();
        h.open("h2").text("Violations").element("span", violations.get().isEmpty() ? "pill" : "pill bad",
                Html.format(violations.get().size())).close("h2").newline();
        if (violations.get().isEmpty()) {
            h.element("p", "intro", "The last verification ran the application under this policy and nothing was "
                    + "refused.").newline();
            h.close("section").newline();
            return;
        }
        h.open("p", "class", "intro").text("Calls the policy refused while the application ran under it. To allow one, "
                + "add its line to ").element("code", null, PolicyFormat.DEFAULT_LOCATION.toString())
                .text(" under \"rules\" (click the line to select it), or change the application so it no longer "
                        + "needs the call.").close("p").newline();
        List<ReportViolation> sorted = new ArrayList<>(violations.get());
        sorted.sort(ORDER);
        for (ReportViolation violation : sorted) {
            violation(h, violation);
        }
        h.close("section").newline();
    }

    private static void violation(Html h, ReportViolation v) {
        Optional<Risk> risk = Risk.of(v.syscall());
        h.open("article", "class", "violation").newline();
        h.open("header").element("span", "name", v.syscall());
        risk.ifPresent(r -> h.element("span", "badge " + r.level().label(), r.level().label() + " risk"));
        h.element("span", "badge plain", Purpose.of(v.syscall()).title());
        h.element("span", "badge refused", "refused \u00b7 " + v.action());
        h.close("header").newline();
        h.open("div", "class", "where").element("span", "mono", v.executable()).text(" \u00b7 " + v.arch()
                + " \u00b7 syscall " + v.number() + " \u00b7 " + Html.plural(v.count(), "call", "calls")).close("div");
        Optional<Arch> arch = Arch.fromId(v.arch());
        if (!v.argumentValues().isEmpty()) {
            h.open("div", "class", "args");
            Arguments.write(h, arch, v.syscall(), v.argumentValues());
            h.close("div");
        }
        if (v.policyLineToAdd().isEmpty()) {
            h.element("p", "note info", "No policy line can allow this call: it came through an ABI the policy does "
                    + "not cover, which the filter always refuses.");
        } else {
            h.element("div", "fix-label", "Line to add");
            h.breakableElement("pre", "line", v.policyLineToAdd());
        }
        risk.ifPresent(r -> h.open("p", "class", "note warn").element("strong", null, "Think twice: ")
                .text(Html.sentence(r.reason())).close("p"));
        h.newline().close("article").newline();
    }
}
