package dev.sandboxed.report;

import dev.sandboxed.policy.PolicyDiff;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many lines of the policy file a change adds, removes and changes, counted as {@link PolicyDiff#render()}
 * counts them (a rule identical on several architectures is one line), so the summary, the navigation and the
 * rendered diff all give the same numbers.
 *
 * @param added lines only the new policy has
 * @param removed lines only the old policy has
 * @param changed lines both have in another form
 * @param defaultChanged whether the default action changed
 */
record DiffSummary(long added, long removed, long changed, boolean defaultChanged) {

    private static final Pattern COUNTS = Pattern.compile("(\\d+) added, (\\d+) removed, (\\d+) changed");

    /** Reads the counts from {@code rendered}, the diff's {@link PolicyDiff#render()}. */
    static DiffSummary of(PolicyDiff diff, String rendered) {
        boolean defaultChanged = !diff.defaultBefore().equals(diff.defaultAfter());
        if (diff.isEmpty()) {
            return new DiffSummary(0, 0, 0, false);
        }
        String[] lines = rendered.split("\n");
        Matcher m = COUNTS.matcher(lines[lines.length - 1]);
        if (!m.matches()) {
            throw new IllegalStateException("PolicyDiff.render() no longer ends with its counts: " + lines[lines.length - 1]);
        }
        return new DiffSummary(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                defaultChanged);
    }

    long total() {
        return added + removed + changed + (defaultChanged ? 1 : 0);
    }
}
