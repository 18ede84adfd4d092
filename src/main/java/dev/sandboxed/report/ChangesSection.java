package dev.sandboxed.report;

import dev.sandboxed.policy.PolicyDiff;

/**
 * What the new policy changes against the committed one, in the same text {@code profile} prints and a reviewer
 * sees in the pull request ({@link PolicyDiff#render()}), coloured: the report adds emphasis, never another
 * wording of the same change.
 */
final class ChangesSection {

    private ChangesSection() {
    }

    static void write(Html h, String rendered, DiffSummary summary) {
        h.open("section", "id", "changes").newline();
        h.open("h2").text("Changes against the committed policy").close("h2").newline();
        if (summary.total() == 0) {
            h.element("p", "intro", "None: the policy is exactly the committed one.").newline();
            h.close("section").newline();
            return;
        }
        h.element("p", "intro", "Lines the policy file loses (\u2212) and gains (+), under the architectures they "
                + "apply to. A changed rule shows its old and new line.").newline();
        h.open("div", "class", "stat");
        h.element("span", "add", "+" + summary.added() + " added");
        h.element("span", "del", "\u2212" + summary.removed() + " removed");
        h.element("span", "chg", "~" + summary.changed() + " changed");
        h.close("div").newline();
        h.open("div", "class", "panel", "style", "padding:0").open("pre", "class", "diff");
        String[] lines = rendered.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String kind = line.startsWith("+ ") ? "add" : line.startsWith("- ") ? "del"
                    : line.startsWith("defaultAction:") ? "chg"
                    : i == lines.length - 1 ? "sum" : line.endsWith(":") ? "head" : null;
            h.breakableElement("span", kind, line);
        }
        h.close("pre").close("div").newline();
        h.close("section").newline();
    }
}
