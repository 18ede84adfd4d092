package dev.sandboxed.sandbox;

import java.util.Objects;
import java.util.Optional;

/**
 * One record read from {@code /dev/kmsg}: {@code priority,sequence,microseconds,flags;message}, optionally followed
 * by indented {@code KEY=value} lines that are not part of the message.
 *
 * @param sequence the kernel's record number, which increases by one per record (a gap means records were lost)
 * @param monotonicMicros when the kernel logged it, in microseconds since boot
 * @param message the text, as {@code dmesg} would show it
 */
public record KernelLogRecord(long sequence, long monotonicMicros, String message) {

    public KernelLogRecord {
        Objects.requireNonNull(message, "message");
    }

    /** Parses one record as a single {@code read} returns it; anything else is not a record. */
    public static Optional<KernelLogRecord> parse(String raw) {
        int semicolon = raw.indexOf(';');
        if (semicolon < 0) {
            return Optional.empty();
        }
        String[] header = raw.substring(0, semicolon).split(",");
        if (header.length < 3) {
            return Optional.empty();
        }
        int newline = raw.indexOf('\n', semicolon);
        String message = raw.substring(semicolon + 1, newline < 0 ? raw.length() : newline);
        try {
            return Optional.of(new KernelLogRecord(Long.parseLong(header[1]), Long.parseLong(header[2]), message));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
