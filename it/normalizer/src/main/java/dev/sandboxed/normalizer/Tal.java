package dev.sandboxed.normalizer;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes the time-stamped annotation lists of EDF+ {@code EDF Annotations} signals:
 * {@code +onset[0x15 duration]0x14 text 0x14 ... 0x00}, repeated, then zero padding. The normalizer copies
 * annotation bytes unchanged; it parses them to reject corrupt ones and to count them.
 */
public final class Tal {
    private static final int DURATION_MARK = 0x15;
    private static final int TEXT_END = 0x14;

    private Tal() {
    }

    /**
     * Parses the TALs in {@code bytes[from, from + length)}.
     *
     * @param fileOffset the file offset of {@code bytes[from]}, for error messages
     * @param field names the signal and record, for error messages
     * @throws EdfFormatException at the first byte that breaks the TAL grammar
     */
    public static List<Annotation> parse(byte[] bytes, int from, int length, Path file, long fileOffset,
            String field) throws EdfFormatException {
        Objects.checkFromIndexSize(from, length, bytes.length);
        List<Annotation> annotations = new ArrayList<>();
        int end = from + length;
        int at = from;
        while (at < end && bytes[at] != 0) {
            int start = at;
            if (bytes[at] != '+' && bytes[at] != '-') {
                throw bad(file, fileOffset + at - from, field, "a TAL must start with + or -, not "
                        + describe(bytes[at]));
            }
            at = number(bytes, at + 1, end, file, fileOffset - from, field, "onset");
            String onset = ascii(bytes, start, at);
            String duration = "";
            if (at < end && bytes[at] == DURATION_MARK) {
                int durationStart = at + 1;
                at = number(bytes, durationStart, end, file, fileOffset - from, field, "duration");
                duration = ascii(bytes, durationStart, at);
            }
            if (at >= end || bytes[at] != TEXT_END) {
                throw bad(file, fileOffset + at - from, field, "expected 0x14 after the onset"
                        + (at < end ? ", found " + describe(bytes[at]) : ", found the end of the signal"));
            }
            at++;
            while (at < end && bytes[at] != 0) {
                int textStart = at;
                while (at < end && bytes[at] != TEXT_END) {
                    if (bytes[at] == 0) {
                        throw bad(file, fileOffset + at - from, field, "annotation text is not closed by 0x14");
                    }
                    at++;
                }
                if (at >= end) {
                    throw bad(file, fileOffset + at - from, field, "annotation text runs past the end of the signal");
                }
                annotations.add(new Annotation(onset, duration,
                        new String(bytes, textStart, at - textStart, StandardCharsets.UTF_8)));
                at++;
            }
            if (at >= end) {
                throw bad(file, fileOffset + at - from, field, "TAL is not closed by 0x00");
            }
            at++;
        }
        for (; at < end; at++) {
            if (bytes[at] != 0) {
                throw bad(file, fileOffset + at - from, field, "padding after the last TAL must be 0x00, not "
                        + describe(bytes[at]));
            }
        }
        return annotations;
    }

    /** The time-keeping TAL {@code +onset 0x14 0x14 0x00} that opens an EDF+ data record. */
    public static byte[] timekeeping(BigDecimal onset) {
        return tal(onset, "", List.of(""));
    }

    /** A TAL with one or more annotation texts; {@code duration} may be empty. */
    public static byte[] tal(BigDecimal onset, String duration, List<String> texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String sign = onset.signum() < 0 ? "" : "+";
        out.writeBytes((sign + EdfNumbers.plain(onset)).getBytes(StandardCharsets.US_ASCII));
        if (!duration.isEmpty()) {
            out.write(DURATION_MARK);
            out.writeBytes(duration.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(TEXT_END);
        for (String text : texts) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            out.write(TEXT_END);
        }
        out.write(0);
        return out.toByteArray();
    }

    private static int number(byte[] bytes, int at, int end, Path file, long base, String field, String what)
            throws EdfFormatException {
        int start = at;
        boolean dot = false;
        while (at < end && (bytes[at] >= '0' && bytes[at] <= '9' || bytes[at] == '.' && !dot)) {
            dot |= bytes[at] == '.';
            at++;
        }
        if (at == start || bytes[start] == '.') {
            throw bad(file, base + start, field, "TAL " + what + " must be a decimal number");
        }
        return at;
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
    }

    private static String describe(byte b) {
        return String.format("byte 0x%02X", b & 0xff);
    }

    private static EdfFormatException bad(Path file, long offset, String field, String problem) {
        return new EdfFormatException(file, field, offset, problem);
    }
}
