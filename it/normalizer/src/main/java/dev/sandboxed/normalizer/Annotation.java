package dev.sandboxed.normalizer;

import java.util.Objects;

/**
 * One annotation of an EDF+ time-stamped annotation list (TAL). Onset and duration stay as written so that they
 * survive a round trip exactly.
 *
 * @param onset seconds from the start of the recording, with sign, e.g. {@code +12.5}
 * @param duration seconds, or empty when the TAL gives none
 * @param text the annotation; empty for the time-keeping annotation that opens each data record
 */
public record Annotation(String onset, String duration, String text) {
    public Annotation {
        Objects.requireNonNull(onset, "onset");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(text, "text");
    }

    public boolean isTimekeeping() {
        return text.isEmpty();
    }
}
