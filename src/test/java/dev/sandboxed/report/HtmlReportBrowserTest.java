package dev.sandboxed.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens the report in a real headless Chromium and checks what it renders: every section laid out and visible, the
 * key facts in the text a reader sees, no horizontal overflow on a laptop or a phone, nothing fetched, dark mode
 * honoured, and screenshots that are not blank. The screenshots stay under {@code target/} for a human to look at.
 */
class HtmlReportBrowserTest {

    private static final Path OUT = Path.of("target", "report-test");
    private static HeadlessChromium chromium;
    private static Path report;

    @BeforeAll
    static void openReport() throws Exception {
        HeadlessChromium.binary();
        report = OUT.resolve("report.html").toAbsolutePath();
        HtmlReport.write(ReportFixtures.realistic(), report);
        chromium = HeadlessChromium.start();
        chromium.viewport(1280, 900);
        chromium.open(report);
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void everySectionIsLaidOutAndVisible() throws Exception {
        JsonNode sections = chromium.evaluate("""
                [...document.querySelectorAll('main > section')].map(s => {
                  const r = s.getBoundingClientRect();
                  return {id: s.id, width: r.width, height: r.height,
                          visible: getComputedStyle(s).display !== 'none' && getComputedStyle(s).visibility === 'visible'};
                })""");
        Set<String> ids = new HashSet<>();
        for (JsonNode section : sections) {
            String id = section.path("id").asText();
            ids.add(id);
            assertTrue(section.path("visible").asBoolean(), id + " is hidden");
            assertTrue(section.path("height").asDouble() > 40, id + " has no height: " + section);
            assertTrue(section.path("width").asDouble() > 900, id + " is squeezed: " + section);
        }
        Set<String> expected = new HashSet<>(Set.of("summary", "violations", "risky", "components", "rules", "changes",
                "runs", "notes"));
        if (ReportFixtures.dockerDefault().isPresent()) {
            expected.add("docker");
        }
        assertEquals(expected, ids);
        JsonNode components = chromium.evaluate("""
                [...document.querySelectorAll('details.component')].map(d => ({
                  name: d.querySelector('.exe').innerText, open: d.open,
                  height: d.getBoundingClientRect().height,
                  groups: d.querySelectorAll('.group').length}))""");
        assertEquals("/usr/bin/gzip", components.get(0).path("name").asText());
        assertEquals("/usr/bin/java", components.get(1).path("name").asText());
        assertEquals("Allowed, but not recorded", components.get(2).path("name").asText());
        for (JsonNode component : components) {
            assertTrue(component.path("open").asBoolean() && component.path("height").asDouble() > 200, component.toString());
            assertTrue(component.path("groups").asInt() >= 1, component.toString());
        }
    }

    @Test
    void aReaderSeesTheKeyFacts() throws Exception {
        String text = chromium.evaluate("document.body.innerText").asText();
        assertTrue(text.contains("2 system calls were refused while verifying"), "verdict");
        assertTrue(text.contains("{\"syscall\": \"socket\", \"if\": [\"arg0 == AF_NETLINK\"], \"action\": \"allow\""),
                "the line to add, symbolic");
        assertTrue(text.contains("AF_NETLINK") && text.contains("SOCK_RAW|SOCK_CLOEXEC"), "violation arguments named");
        assertTrue(text.contains("seen in 2/3 runs"), "calls missing from some runs are flagged");
        JsonNode socket = chromium.evaluate("""
                [...document.querySelectorAll('details.component tr')]
                  .filter(r => r.cells[0] && r.cells[0].innerText.startsWith('socket'))
                  .map(r => [...r.querySelectorAll('.args .v')].map(v => v.innerText))""");
        assertEquals("[[\"AF_UNIX\",\"AF_INET6\",\"SOCK_STREAM|SOCK_CLOEXEC\",\"SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC\"]]",
                socket.toString(), "recorded argument values named");
        assertTrue(text.contains("CLONE_VM|CLONE_VFORK|SIGCHLD"), "clone flags named");
        assertTrue(text.contains("/tmp/hsperfdata_app/4242") && text.contains("inet:127.0.0.1:5432"), "paths, addresses");
        assertTrue(text.contains("async-profiler attaches to the JVM"), "reason of a rule nobody recorded");
        JsonNode ptrace = chromium.evaluate("""
                (() => { const row = [...document.querySelectorAll('#risky tbody tr')]
                           .find(r => r.querySelector('code').innerText === 'ptrace');
                         return {level: row.className, used: row.cells[3].innerText,
                                 stripe: getComputedStyle(row.cells[0]).boxShadow}; })()""");
        assertEquals("risk-critical", ptrace.path("level").asText());
        assertTrue(ptrace.path("used").asText().contains("never recorded"), ptrace.toString());
        assertTrue(ptrace.path("stripe").asText().contains("inset"), "the risk stripe is styled: " + ptrace);
        JsonNode diff = chromium.evaluate("""
                ({added: document.querySelectorAll('#changes pre.diff .add').length,
                  removed: document.querySelectorAll('#changes pre.diff .del').length,
                  addColor: getComputedStyle(document.querySelector('#changes pre.diff .add')).backgroundColor})""");
        assertTrue(diff.path("added").asInt() > 20 && diff.path("removed").asInt() >= 1, diff.toString());
        assertTrue(!diff.path("addColor").asText().equals("rgba(0, 0, 0, 0)"), "added lines are highlighted");
        if (ReportFixtures.dockerDefault().isPresent()) {
            assertTrue(text.contains("syscalls fewer than Docker allows"), "Docker comparison");
        }
    }

    @Test
    void fetchesNothingAndFitsTheWidth() throws Exception {
        assertEquals(0, chromium.evaluate("performance.getEntriesByType('resource').length").asInt(),
                "the report must be self-contained");
        for (int width : new int[] {1280, 390}) {
            chromium.viewport(width, 900);
            JsonNode overflow = chromium.evaluate("""
                    ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})""");
            assertTrue(overflow.path("scroll").asInt() <= overflow.path("client").asInt(),
                    "the page scrolls sideways at " + width + " px: " + overflow);
        }
        chromium.viewport(390, 900);
        byte[] narrow = chromium.screenshot(Path.of("target", "report-screenshot-narrow.png"), 2400);
        assertNotBlank(narrow, 390);
        chromium.viewport(1280, 900);
    }

    @Test
    void screenshotsAreNotBlankInLightAndDark() throws Exception {
        chromium.viewport(1280, 900);
        byte[] light = chromium.screenshot(Path.of("target", "report-screenshot.png"), 16000);
        BufferedImage image = assertNotBlank(light, 1280);
        assertTrue(luminance(image.getRGB(30, 30)) < 60, "the masthead is dark");
        assertTrue(luminance(image.getRGB(5, image.getHeight() - 5)) > 200, "the page background is light");

        chromium.colorScheme("dark");
        try {
            String background = chromium.evaluate("getComputedStyle(document.body).backgroundColor").asText();
            assertEquals("rgb(14, 17, 23)", background, "dark mode follows the reader's setting");
            BufferedImage dark = assertNotBlank(chromium.screenshot(Path.of("target", "report-screenshot-dark.png"),
                    3000), 1280);
            assertTrue(luminance(dark.getRGB(5, dark.getHeight() - 5)) < 60, "the page background is dark");
        } finally {
            chromium.colorScheme("light");
        }
    }

    @Test
    void aPolicyAloneRendersPerArchitecture() throws Exception {
        Path file = OUT.resolve("policy-only.html").toAbsolutePath();
        HtmlReport.write(ReportInput.of("policy only", PolicyGenerator.generate(ReportFixtures.recording(),
                new PolicyGenerator.Options(Action.errno(1), EnumSet.allOf(Arch.class))).policy()), file);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.viewport(1280, 900);
            browser.open(file);
            JsonNode subjects = browser.evaluate("""
                    [...document.querySelectorAll('details.component')].map(d => d.querySelector('summary').innerText)""");
            assertEquals(2, subjects.size(), subjects.toString());
            assertTrue(subjects.get(0).asText().contains("all") && subjects.get(0).asText().contains("x86_64"));
            assertTrue(subjects.get(1).asText().contains("aarch64"));
            String text = browser.evaluate("document.body.innerText").asText();
            assertTrue(text.contains("Not verified yet"), "an unverified policy is not called clean");
            assertNotBlank(browser.screenshot(Path.of("target", "report-screenshot-policy-only.png"), 2000), 1280);
        }
    }

    private static BufferedImage assertNotBlank(byte[] png, int width) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(width, image.getWidth());
        assertTrue(image.getHeight() > 600, "height " + image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 200, "only " + colours.size() + " colours: the page looks blank");
        return image;
    }

    private static int luminance(int rgb) {
        return (int) (0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff));
    }
}
