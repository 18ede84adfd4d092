package dev.sandboxed.report;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyDiff;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Run;
import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {

    @Test
    void theSameInputGivesTheSameBytes() {
        String first = HtmlReport.render(ReportFixtures.realistic());
        String second = HtmlReport.render(ReportFixtures.realistic());
        assertEquals(first, second);
    }

    @Test
    void writesAtomicallyAndExactlyWhatItRenders(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sandbox").resolve("report.html");
        ReportInput input = ReportFixtures.realistic();
        HtmlReport.write(input, target);
        HtmlReport.write(input, target);
        assertEquals(HtmlReport.render(input), Files.readString(target, StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void isOneSelfContainedDocument() {
        String html = HtmlReport.render(ReportFixtures.realistic());
        assertTrue(html.startsWith("<!DOCTYPE html>\n"));
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "loads are forbidden");
        for (String external : List.of("http://", "https://", "<script", "<link", "<img", "<iframe", "@import",
                "url(", "src=")) {
            assertFalse(html.contains(external), "the report refers to something outside itself: " + external);
        }
    }

    @Test
    void recordedTextCannotInjectMarkup() {
        String hostile = "/tmp/<script>alert('x')</script>\"&";
        Component component = ReportFixtures.component(hostile,
                Map.ofEntries(ReportFixtures.use("read", 3, 1)),
                new TreeMap<>(Map.of("/data/<b>bold</b>", new TreeSet<>(Set.of(FileAccess.READ)))),
                List.of("connect unix:/run/<i>.sock"));
        Recording recording = new Recording(List.of(new Run("sh -c '<x>'", 0, "", 5, false, "ptrace")),
                new TreeMap<>(Map.of(Arch.X86_64, new TreeMap<>(Map.of(hostile, component)))));
        Policy policy = Policy.of(Action.errno(1), Map.of(Arch.X86_64,
                List.of(Rule.allow("read", "because </td></tr></table> <b>"))));
        String html = HtmlReport.render(ReportInput.of("<Title & \"co\">", policy).withRecording(recording)
                .withWarnings(List.of("<warning>")));
        for (String raw : List.of("<script>", "<b>bold</b>", "<i>.sock", "<x>", "<warning>", "</td></tr></table> <b>",
                "<Title")) {
            assertFalse(html.contains(raw), "unescaped data: " + raw);
        }
        assertTrue(html.contains("/data/&lt;b&gt;bold&lt;/b&gt;") && html.contains("unix:/run/&lt;i&gt;.sock"));
        assertTrue(html.contains("/tmp/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"));
        assertTrue(html.contains("<h1>&lt;Title &amp; &quot;co&quot;&gt;</h1>"));
    }

    @Test
    void theSummaryCountsWhatThePolicyLetsThrough() {
        ReportInput input = ReportFixtures.realistic();
        String html = HtmlReport.render(input);
        // The generated policy allows what was recorded but clone3 (answered ENOSYS so libc falls back to clone,
        // whose flags it checks), plus restart_syscall, which the kernel makes; the committed policy adds ptrace.
        Set<String> expected = new TreeSet<>(input.recording().orElseThrow().syscallCounts(Arch.X86_64).keySet());
        expected.remove("clone3");
        expected.add("restart_syscall");
        expected.add("ptrace");
        assertEquals(Integer.toString(expected.size()), card(html, "Allowed syscalls", "x86_64"));
        assertEquals("2", card(html, "Violations", null));
        assertEquals("2", card(html, "Components", null));
        String render = input.diffAgainstCommitted().orElseThrow().render();
        Matcher counts = Pattern.compile("(\\d+) added, (\\d+) removed, (\\d+) changed\\n$").matcher(render);
        assertTrue(counts.find(), render);
        long total = Long.parseLong(counts.group(1)) + Long.parseLong(counts.group(2)) + Long.parseLong(counts.group(3));
        assertEquals(Long.toString(total), card(html, "Changes vs. committed", null), "the diff's own counts");
    }

    @Test
    void saysWhetherTheApplicationWasVerified() {
        Policy policy = PolicyGenerator.generate(ReportFixtures.recording(),
                new PolicyGenerator.Options(Action.errno(1), EnumSet.of(Arch.X86_64))).policy();
        String unverified = HtmlReport.render(ReportInput.of("app", policy));
        assertTrue(unverified.contains("Not verified yet"));
        assertFalse(unverified.contains("id=\"violations\""), "no violations section without a verification");
        String clean = HtmlReport.render(ReportInput.of("app", policy).withViolations(List.of()));
        assertTrue(clean.contains("No violations, but") || clean.contains("Verified: no violations"), clean);
        String failed = HtmlReport.render(ReportInput.of("app", policy).withViolations(ReportFixtures.violations()));
        assertTrue(failed.contains("2 system calls were refused while verifying"));
    }

    @Test
    void aPolicyAloneIsShownPerArchitectureWithItsReasons() {
        Policy policy = Policy.of(Action.errno(1), Map.of(
                Arch.X86_64, List.of(Rule.allow("open", "legacy loader"), Rule.allow("ptrace", "profiler")),
                Arch.AARCH64, List.of(Rule.allow("openat", "legacy loader"))));
        String html = HtmlReport.render(ReportInput.of("policy only", policy));
        assertEquals(2, count(html, "<span class=\"exe\">all</span>"));
        assertTrue(html.contains("legacy loader") && html.contains("profiler"));
        assertTrue(html.contains("<tr class=\"risk-critical\">"), "ptrace is flagged");
        assertFalse(html.contains("id=\"runs\""), "no runs without a recording");
    }

    @Test
    void theChangesAreColouredLineByLine() {
        Policy before = Policy.of(Action.errno(1), Map.of(Arch.X86_64,
                List.of(Rule.allow("read", "old"), Rule.allow("kill", "signals"))));
        Policy after = Policy.of(Action.killProcess(), Map.of(Arch.X86_64,
                List.of(Rule.allow("read", "new"), Rule.allow("write", "output"))));
        String html = HtmlReport.render(ReportInput.of("app", after).withDiff(PolicyDiff.between(before, after)));
        assertEquals(2, count(html, "<span class=\"add\">+ "), "write added, read's new reason");
        assertEquals(2, count(html, "<span class=\"del\">- "), "kill removed, read's old reason");
        assertEquals(1, count(html, "<span class=\"chg\">defaultAction: "));
        assertTrue(html.contains("<span class=\"sum\">1 added, 1 removed, 1 changed</span>"));
    }

    /** The number a summary card shows, optionally the row for one architecture. */
    private static String card(String html, String label, String row) {
        int at = html.indexOf("<div class=\"label\">" + label + "</div>");
        assertTrue(at >= 0, "no card " + label);
        String rest = html.substring(at, html.indexOf("</div>\n", at));
        Matcher m = (row == null ? Pattern.compile("<div class=\"value\">([^<]+)")
                : Pattern.compile("<b>([^<]+)</b><span>" + Pattern.quote(row))).matcher(rest);
        assertTrue(m.find(), rest);
        return m.group(1);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
