package dev.sandboxed.normalizer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The header of an EDF or EDF+ file: recording-wide fields and one {@link EdfSignal} per signal. Text fields
 * are held trimmed; {@link #encode} pads them back. The record count is always known here: a file that declared
 * -1 has had it computed from its length by the time it becomes an {@code EdfHeader}.
 *
 * @param startDate {@code dd.mm.yy} as in the file
 * @param startTime {@code hh.mm.ss} as in the file
 * @param reserved {@code EDF+C}, {@code EDF+D} or blank for plain EDF
 * @param recordDuration seconds per data record, exactly as written in the file
 */
public record EdfHeader(String patient, String recording, String startDate, String startTime, String reserved,
        long dataRecords, BigDecimal recordDuration, List<EdfSignal> signals) {

    public EdfHeader {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(startDate, "startDate");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(recordDuration, "recordDuration");
        signals = List.copyOf(Objects.requireNonNull(signals, "signals"));
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("a recording needs at least one signal");
        }
        if (dataRecords < 0) {
            throw new IllegalArgumentException("data records must not be negative, not " + dataRecords);
        }
        if (recordDuration.signum() <= 0) {
            throw new IllegalArgumentException("record duration must be above 0, not " + recordDuration);
        }
        long bytes = 0;
        for (EdfSignal signal : signals) {
            bytes += 2L * signal.samplesPerRecord();
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a data record of " + bytes + " bytes is too large to process");
        }
    }

    public int headerBytes() {
        return SignalField.BYTES_PER_SIGNAL * (signals.size() + 1);
    }

    /** Bytes per data record: two per sample of every signal. */
    public int recordBytes() {
        int bytes = 0;
        for (EdfSignal signal : signals) {
            bytes += 2 * signal.samplesPerRecord();
        }
        return bytes;
    }

    /** Byte offset of signal {@code index}'s samples inside a data record. */
    public int signalOffset(int index) {
        Objects.checkIndex(index, signals.size());
        int offset = 0;
        for (int i = 0; i < index; i++) {
            offset += 2 * signals.get(i).samplesPerRecord();
        }
        return offset;
    }

    public long fileBytes() {
        return headerBytes() + dataRecords * (long) recordBytes();
    }

    public boolean isEdfPlus() {
        return reserved.startsWith("EDF+");
    }

    /**
     * The header bytes as they go on disk.
     *
     * @throws IllegalArgumentException if a field holds non-ASCII text or does not fit its width
     */
    public byte[] encode() {
        int count = signals.size();
        byte[] bytes = new byte[headerBytes()];
        Arrays.fill(bytes, (byte) ' ');
        put(bytes, HeaderField.VERSION.offset(), HeaderField.VERSION, "0");
        put(bytes, HeaderField.PATIENT.offset(), HeaderField.PATIENT, patient);
        put(bytes, HeaderField.RECORDING.offset(), HeaderField.RECORDING, recording);
        put(bytes, HeaderField.START_DATE.offset(), HeaderField.START_DATE, startDate);
        put(bytes, HeaderField.START_TIME.offset(), HeaderField.START_TIME, startTime);
        put(bytes, HeaderField.HEADER_BYTES.offset(), HeaderField.HEADER_BYTES, Integer.toString(headerBytes()));
        put(bytes, HeaderField.RESERVED.offset(), HeaderField.RESERVED, reserved);
        put(bytes, HeaderField.DATA_RECORDS.offset(), HeaderField.DATA_RECORDS, Long.toString(dataRecords));
        put(bytes, HeaderField.RECORD_DURATION.offset(), HeaderField.RECORD_DURATION,
                EdfNumbers.plain(recordDuration));
        put(bytes, HeaderField.SIGNAL_COUNT.offset(), HeaderField.SIGNAL_COUNT, Integer.toString(count));
        for (int i = 0; i < count; i++) {
            EdfSignal s = signals.get(i);
            put(bytes, count, i, SignalField.LABEL, s.label());
            put(bytes, count, i, SignalField.TRANSDUCER, s.transducer());
            put(bytes, count, i, SignalField.PHYSICAL_DIMENSION, s.physicalDimension());
            put(bytes, count, i, SignalField.PHYSICAL_MIN, EdfNumbers.format(s.physicalMin(), RoundingMode.FLOOR));
            put(bytes, count, i, SignalField.PHYSICAL_MAX, EdfNumbers.format(s.physicalMax(), RoundingMode.CEILING));
            put(bytes, count, i, SignalField.DIGITAL_MIN, Integer.toString(s.digitalMin()));
            put(bytes, count, i, SignalField.DIGITAL_MAX, Integer.toString(s.digitalMax()));
            put(bytes, count, i, SignalField.PREFILTERING, s.prefiltering());
            put(bytes, count, i, SignalField.SAMPLES, Integer.toString(s.samplesPerRecord()));
            put(bytes, count, i, SignalField.RESERVED, s.reserved());
        }
        return bytes;
    }

    private static void put(byte[] bytes, int count, int signal, SignalField field, String text) {
        put(bytes, (int) field.offset(count, signal), field.title() + " of signal " + (signal + 1), field.width(),
                text);
    }

    private static void put(byte[] bytes, int offset, HeaderField field, String text) {
        put(bytes, offset, field.title(), field.width(), text);
    }

    private static void put(byte[] bytes, int offset, String name, int width, String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length > width) {
            throw new IllegalArgumentException(name + " '" + text + "' is longer than its " + width + " characters");
        }
        for (int i = 0; i < ascii.length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(name + " '" + text + "' holds a character that is not "
                        + "printable ASCII");
            }
            bytes[offset + i] = ascii[i];
        }
    }
}
