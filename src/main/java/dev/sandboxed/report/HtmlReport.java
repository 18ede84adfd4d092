package dev.sandboxed.report;

import dev.sandboxed.json.AtomicFiles;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code target/sandbox/report.html}: the policy explained for the people who must accept it. A seccomp policy is a
 * list of a hundred names and a few bit masks; what a reviewer needs is what the application does (grouped by
 * purpose, per program), which calls are dangerous and why, what changed since the committed policy, what the last
 * verification refused and how to fix it, and how much tighter it is than Docker's default.
 *
 * <p>The file is one self-contained HTML document: inline CSS, no script, no fonts or images to fetch, and a
 * content security policy forbidding any load, so it can be archived as a build artifact and opened anywhere. The
 * same input always renders to the same bytes.
 */
public final class HtmlReport {

    /** Where {@code profile} and {@code verify} write the report, relative to the build directory. */
    public static final Path DEFAULT_LOCATION = Path.of("sandbox", "report.html");

    private HtmlReport() {
    }

    public static String render(ReportInput input) {
        Objects.requireNonNull(input, "input");
        ReportFacts facts = new ReportFacts(input);
        Html h = new Html();
        h.raw("<!DOCTYPE html>").newline();
        h.open("html", "lang", "en").newline();
        h.open("head").newline();
        h.raw("<meta charset=\"utf-8\">").newline();
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">").newline();
        h.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .newline();
        h.raw("<meta name=\"generator\" content=\"sandbox-maven-plugin\">").newline();
        h.element("title", null, input.title() + " \u00b7 seccomp policy report").newline();
        h.open("style").newline().raw(Stylesheet.CSS).close("style").newline();
        h.close("head").newline();
        h.open("body").newline();
        masthead(h, facts);
        navigation(h, facts);
        h.open("main", "class", "wrap").newline();
        summary(h, facts);
        ViolationsSection.write(h, facts);
        RiskSection.write(h, facts);
        ComponentsSection.write(h, facts);
        RulesSection.write(h, facts);
        if (facts.diffText().isPresent()) {
            ChangesSection.write(h, facts.diffText().get(), facts.diffSummary().orElseThrow());
        }
        input.dockerDefault().ifPresent(docker -> DockerSection.write(h, facts));
        RunsSection.write(h, facts);
        h.close("main").newline();
        footer(h, input);
        h.close("body").newline();
        h.close("html").newline();
        return h.toString();
    }

    /** Renders and writes atomically, so a browser or CI artifact upload never sees half a report. */
    public static void write(ReportInput input, Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        AtomicFiles.write(target, render(input));
    }

    private static void masthead(Html h, ReportFacts facts) {
        ReportInput input = facts.input();
        h.open("header", "class", "masthead").open("div", "class", "wrap").newline();
        h.element("div", "eyebrow", "sandbox-maven-plugin \u00b7 seccomp policy report").newline();
        h.element("h1", null, input.title()).newline();
        h.open("p", "class", "lede");
        h.element("span", null, facts.arches().isEmpty() ? "no architectures"
                : facts.arches().stream().map(Arch::id).collect(Collectors.joining(", ")));
        h.open("span").text("default action ").element("code", null, RuleText.action(input.policy().defaultAction()))
                .close("span");
        input.recording().ifPresent(recording -> h.element("span", null,
                Html.plural(recording.runCount(), "recorded run", "recorded runs")));
        input.generatedAt().ifPresent(at -> h.element("span", null, at));
        h.close("p").newline();
        h.close("div").close("header").newline();
    }

    private static void navigation(Html h, ReportFacts facts) {
        ReportInput input = facts.input();
        h.open("nav", "class", "toc", "aria-label", "Sections").open("div", "class", "wrap");
        link(h, "summary", "Summary", null, null);
        input.violations().ifPresent(list -> link(h, "violations", "Violations", (long) list.size(),
                list.isEmpty() ? null : "bad"));
        long risky = facts.risky().stream().filter(r -> !r.narrowedEverywhere()).count();
        link(h, "risky", "Risky syscalls", (long) facts.risky().size(), risky > 0 ? "warn" : null);
        link(h, "components", facts.recorded() ? "Components" : "Allowed syscalls", (long) facts.subjects().size(), null);
        link(h, "rules", "Argument rules", null, null);
        facts.diffSummary().ifPresent(diff -> link(h, "changes", "Changes", diff.total(), null));
        input.dockerDefault().ifPresent(docker -> link(h, "docker", "vs. Docker default", null, null));
        if (input.recording().filter(r -> r.runCount() > 0).isPresent()) {
            link(h, "runs", "Runs", (long) input.recording().get().runCount(), null);
        }
        if (!input.warnings().isEmpty()) {
            link(h, "notes", "Notes", (long) input.warnings().size(), "warn");
        }
        h.close("div").close("nav").newline();
    }

    private static void link(Html h, String id, String text, Long count, String tone) {
        h.open("a", "href", "#" + id).text(text);
        if (count != null) {
            h.element("span", tone == null ? "pill" : "pill " + tone, Html.format(count));
        }
        h.close("a");
    }

    private static void summary(Html h, ReportFacts facts) {
        ReportInput input = facts.input();
        h.open("section", "id", "summary").newline();
        verdict(h, facts);
        h.open("div", "class", "cards").newline();

        h.open("div", "class", "card neutral").element("div", "label", "Allowed syscalls").open("div", "class", "rows");
        for (Arch arch : facts.arches()) {
            h.open("div").element("b", null, Html.format(facts.permitted(arch).size()))
                    .element("span", null, arch.id() + " \u00b7 of " + SyscallTable.of(arch).names().size())
                    .close("div");
        }
        h.close("div").element("div", "detail", "each allowed at least for some arguments").close("div").newline();

        h.open("div", "class", "card neutral").element("div", "label", "Rules with conditions").open("div", "class", "rows");
        for (Arch arch : facts.arches()) {
            h.open("div").element("b", null, Html.format(facts.conditionalRules(arch)))
                    .element("span", null, arch.id()).close("div");
        }
        h.close("div").element("div", "detail", "argument checks narrowing a syscall").close("div").newline();

        if (input.violations().isPresent()) {
            List<ReportViolation> violations = input.violations().get();
            long calls = violations.stream().mapToLong(ReportViolation::count).sum();
            card(h, violations.isEmpty() ? "good" : "bad", "Violations", Html.format(violations.size()), null,
                    violations.isEmpty() ? "none in the last verification"
                            : Html.plural(calls, "refused call", "refused calls") + " in the last verification");
        } else {
            card(h, "neutral", "Violations", "\u2013", null, "not verified: run sandbox:verify");
        }

        if (facts.recorded()) {
            Recording recording = input.recording().orElseThrow();
            card(h, "neutral", "Components", Html.format(facts.subjects().size()), null,
                    "programs recorded in " + Html.plural(recording.runCount(), "run", "runs"));
        }

        long outright = facts.risky().stream().filter(r -> !r.narrowedEverywhere()).count();
        long narrowed = facts.risky().size() - outright;
        boolean critical = facts.risky().stream()
                .anyMatch(r -> !r.narrowedEverywhere() && r.risk().level() == Risk.Level.CRITICAL);
        card(h, critical ? "bad" : outright > 0 ? "warn" : "good", "Risky syscalls allowed", Html.format(outright),
                null, narrowed == 0 ? "allowed outright" : "allowed outright, and " + Html.format(narrowed)
                        + " more only for some arguments");

        input.dockerDefault().ifPresent(docker -> {
            h.open("div", "class", "card good").element("div", "label", "Fewer than Docker's default")
                    .open("div", "class", "rows");
            for (Arch arch : facts.arches()) {
                if (facts.dockerPermitted(arch).isEmpty()) {
                    continue;
                }
                long fewer = facts.dockerPermitted(arch).get().size() - (long) facts.permitted(arch).size();
                h.open("div").element("b", null, (fewer >= 0 ? "\u2212" : "+") + Html.format(Math.abs(fewer)))
                        .element("span", null, arch.id()).close("div");
            }
            h.close("div").element("div", "detail", "syscalls allowed compared with Docker").close("div").newline();
        });

        facts.diffSummary().ifPresent(diff -> card(h,
                diff.total() == 0 ? "good" : "warn", "Changes vs. committed", Html.format(diff.total()), null,
                diff.total() == 0 ? "the policy matches the committed one" : "+" + diff.added() + " added, \u2212"
                        + diff.removed() + " removed, ~" + diff.changed() + " changed lines"
                        + (diff.defaultChanged() ? ", new default action" : "")));

        h.close("div").newline();
        h.close("section").newline();
    }

    private static void card(Html h, String tone, String label, String value, String unit, String detail) {
        h.open("div", "class", "card " + tone).element("div", "label", label).open("div", "class", "value").text(value);
        if (unit != null) {
            h.element("small", null, unit);
        }
        h.close("div").element("div", "detail", detail).close("div").newline();
    }

    private static void verdict(Html h, ReportFacts facts) {
        ReportInput input = facts.input();
        List<String> outright = facts.risky().stream().filter(r -> !r.narrowedEverywhere())
                .map(ReportFacts.RiskyAllowance::syscall).toList();
        Optional<List<ReportViolation>> violations = input.violations();
        String tone;
        String mark;
        String headline;
        List<String> details = new ArrayList<>();
        if (violations.isPresent() && !violations.get().isEmpty()) {
            tone = "bad";
            mark = "!";
            headline = Html.plural(violations.get().size(), "system call was", "system calls were")
                    + " refused while verifying";
            details.add("The application needed calls this policy does not allow. Each one is listed under "
                    + "Violations with the policy line that would allow it; add the line, or change the application.");
        } else if (!outright.isEmpty()) {
            tone = "warn";
            mark = "!";
            headline = (violations.isPresent() ? "No violations, but " : "")
                    + Html.plural(outright.size(), "risky syscall is", "risky syscalls are") + " allowed outright";
            details.add("Review " + String.join(", ", outright.subList(0, Math.min(8, outright.size())))
                    + (outright.size() > 8 ? " and " + (outright.size() - 8) + " more" : "")
                    + " under Risky syscalls: each needs a reason, or an argument rule that narrows it.");
        } else if (violations.isPresent()) {
            tone = "good";
            mark = "\u2713";
            headline = "Verified: no violations";
            details.add("The application ran under this policy without a refused call, and no risky syscall is "
                    + "allowed outright.");
        } else {
            tone = "info";
            mark = "i";
            headline = "No risky syscall is allowed outright";
            details.add("Not verified yet: sandbox:verify runs the application under this policy and reports any "
                    + "call it refuses.");
        }
        if (violations.isEmpty() && !tone.equals("info")) {
            details.add("Not verified yet: sandbox:verify runs the application under this policy.");
        }
        h.open("div", "class", "verdict " + tone, "role", "status").element("div", "mark", mark).open("div")
                .element("strong", null, headline);
        details.forEach(text -> h.element("p", null, text));
        h.close("div").close("div").newline();
    }

    private static void footer(Html h, ReportInput input) {
        h.open("footer").open("div", "class", "wrap");
        h.text("Generated by sandbox-maven-plugin");
        input.generatedAt().ifPresent(at -> h.text(" \u00b7 " + at));
        h.text(" \u00b7 from the policy");
        input.recording().ifPresent(r -> h.text(", the recording"));
        input.violations().ifPresent(v -> h.text(", the verification"));
        input.diffAgainstCommitted().ifPresent(d -> h.text(", the committed policy"));
        input.dockerDefault().ifPresent(d -> h.text(" and Docker's default profile"));
        h.text(".");
        h.close("div").close("footer").newline();
    }
}
