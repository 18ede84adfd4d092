package dev.sandboxed.report;

import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;

import java.util.List;
import java.util.Locale;

/**
 * The evidence behind the recording and what the build warned about. An interrupted or failed run means the
 * recording may lack calls the application makes, which is worth knowing before trusting a policy built on it.
 */
final class RunsSection {

    private RunsSection() {
    }

    static void write(Html h, ReportFacts facts) {
        facts.input().recording().filter(r -> r.runCount() > 0).ifPresent(recording -> runs(h, recording));
        notes(h, facts.input().warnings());
    }

    private static void runs(Html h, Recording recording) {
        h.open("section", "id", "runs").newline();
        h.open("h2").text("Recorded runs").element("span", "pill", Html.format(recording.runCount())).close("h2").newline();
        h.element("p", "intro", "The traced runs the recording merges. A call seen in fewer runs than these is marked "
                + "in the tables above: JIT compilation, garbage collection and timing make some calls occasional, "
                + "and those are what make a recorded policy flaky.").newline();
        h.open("div", "class", "panel scroll").open("table").newline();
        h.raw("<thead><tr><th class=\"num\">#</th><th>Command</th><th>Tracer</th><th>Exit</th>"
                + "<th class=\"num\">Duration</th></tr></thead>").newline();
        h.open("tbody").newline();
        List<Run> runs = recording.runs();
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            h.open("tr").element("td", "num", Integer.toString(i + 1)).element("td", "mono small", run.command())
                    .element("td", "small", run.backend());
            h.open("td").element("span", run.exitStatus() == 0 && !run.interrupted() ? "badge ok" : "badge medium",
                    run.signal().isEmpty() ? "exit " + run.exitStatus() : run.signal() + " (" + run.exitStatus() + ")");
            if (run.interrupted()) {
                h.text(" ").element("span", "badge refused", "interrupted");
            }
            h.close("td");
            h.element("td", "num", duration(run.wallMillis())).close("tr").newline();
        }
        h.close("tbody").close("table").close("div").newline();
        if (runs.stream().anyMatch(Run::interrupted)) {
            h.element("p", "note warn", "An interrupted run stopped early: calls it would have made later are missing "
                    + "from the recording, and so from the policy.").newline();
        }
        h.close("section").newline();
    }

    private static void notes(Html h, List<String> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        h.open("section", "id", "notes").newline();
        h.open("h2").text("Notes").element("span", "pill warn", Html.format(warnings.size())).close("h2").newline();
        h.element("p", "intro", "What the build reported while reading the inputs.").newline();
        h.open("div", "class", "panel").open("ul", "class", "plain");
        warnings.forEach(w -> h.element("li", "small", w));
        h.close("ul").close("div").newline();
        h.close("section").newline();
    }

    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, (millis / 1000) % 60);
    }
}
