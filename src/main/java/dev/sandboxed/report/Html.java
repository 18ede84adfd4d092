package dev.sandboxed.report;

import java.util.Locale;
import java.util.Objects;

/**
 * Builds HTML text with every piece of data escaped at the one place it enters, so a path, command line or
 * reason containing markup (recorded from the application, hence untrusted) can never inject into the report.
 * Attributes are written in the order given, which keeps the output byte-for-byte reproducible.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(64 * 1024);

    /** Opens an element; {@code attributes} alternate name and value, and a null value leaves the attribute out. */
    Html open(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    Html close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element holding escaped text, with an optional class. */
    Html element(String tag, String cssClass, String text) {
        open(tag, "class", cssClass);
        text(text);
        return close(tag);
    }

    Html text(String text) {
        out.append(escape(text));
        return this;
    }

    /**
     * Escaped text that may wrap after each {@code |}: flag lists such as {@code CLONE_NEWNS|CLONE_NEWUTS|...} then
     * break between constants, never inside a name.
     */
    Html breakable(String text) {
        out.append(escape(text).replace("|", "|<wbr>"));
        return this;
    }

    /** Like {@link #element} with {@link #breakable} text. */
    Html breakableElement(String tag, String cssClass, String text) {
        open(tag, "class", cssClass);
        breakable(text);
        return close(tag);
    }

    Html number(long value) {
        out.append(format(value));
        return this;
    }

    /** Markup written by this package itself, never data. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html newline() {
        out.append('\n');
        return this;
    }

    private void attributes(String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
    }

    static String escape(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A count with thousands separators, the same on every machine whatever its locale. */
    static String format(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String plural(long count, String singular, String plural) {
        return format(count) + " " + (count == 1 ? singular : plural);
    }

    /** A fragment as a sentence: capitalised, with a full stop. */
    static String sentence(String fragment) {
        if (fragment.isEmpty()) {
            return fragment;
        }
        return Character.toUpperCase(fragment.charAt(0)) + fragment.substring(1) + (fragment.endsWith(".") ? "" : ".");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
