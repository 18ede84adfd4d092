package dev.sandboxed.normalizer;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses and validates an EDF header. Every check names the field and the byte offset it failed at, because a
 * header is the part of a recording a person is most likely to have edited by hand.
 */
final class EdfHeaderReader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)");
    private static final Pattern CLOCK = Pattern.compile("[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}");

    private final Path file;

    private EdfHeaderReader(Path file) {
        this.file = file;
    }

    /**
     * Reads the header from the start of {@code in} and checks it against the file's length.
     *
     * @throws EdfFormatException if the header is malformed, describes an EDF+D file, or disagrees with the
     *     file length
     */
    static EdfHeader read(Path file, InputStream in, long fileLength) throws IOException {
        return new EdfHeaderReader(file).read(in, fileLength);
    }

    private EdfHeader read(InputStream in, long fileLength) throws IOException {
        byte[] fixed = in.readNBytes(256);
        if (fixed.length > 0 && (fixed[0] & 0xff) == 0xff) {
            throw new EdfFormatException(file, field(HeaderField.VERSION), 0,
                    "this is a BDF (24-bit) file; only 16-bit EDF and EDF+ are supported");
        }
        checkAscii(fixed);
        if (fixed.length < 256) {
            throw new EdfFormatException(file, field(HeaderField.at(fixed.length)), fixed.length,
                    "file ends inside the 256-byte fixed header");
        }
        String version = text(fixed, HeaderField.VERSION);
        if (!version.equals("0")) {
            throw new EdfFormatException(file, field(HeaderField.VERSION), 0,
                    "EDF version must be 0, not '" + version + "'");
        }
        String startDate = clock(fixed, HeaderField.START_DATE);
        String startTime = clock(fixed, HeaderField.START_TIME);
        String reserved = text(fixed, HeaderField.RESERVED);
        if (reserved.startsWith("EDF+D")) {
            throw new EdfFormatException(file, field(HeaderField.RESERVED), HeaderField.RESERVED.offset(),
                    "EDF+D (discontinuous) recordings are not supported; only EDF and EDF+C are");
        }
        int signalCount = (int) integer(fixed, HeaderField.SIGNAL_COUNT);
        if (signalCount < 1) {
            throw new EdfFormatException(file, field(HeaderField.SIGNAL_COUNT), HeaderField.SIGNAL_COUNT.offset(),
                    "a recording needs at least one signal, not " + signalCount);
        }
        long headerBytes = integer(fixed, HeaderField.HEADER_BYTES);
        long expectedHeader = 256L * (signalCount + 1);
        if (headerBytes != expectedHeader) {
            throw new EdfFormatException(file, field(HeaderField.HEADER_BYTES), HeaderField.HEADER_BYTES.offset(),
                    "header size " + headerBytes + " must be 256 * (signals + 1) = " + expectedHeader
                            + " for " + signalCount + " signals");
        }
        long declaredRecords = integer(fixed, HeaderField.DATA_RECORDS);
        if (declaredRecords < 1 && declaredRecords != -1) {
            throw new EdfFormatException(file, field(HeaderField.DATA_RECORDS), HeaderField.DATA_RECORDS.offset(),
                    "number of data records must be at least 1 (or -1 while unknown), not " + declaredRecords);
        }
        BigDecimal duration = decimal(fixed, HeaderField.RECORD_DURATION);
        if (duration.signum() <= 0) {
            throw new EdfFormatException(file, field(HeaderField.RECORD_DURATION),
                    HeaderField.RECORD_DURATION.offset(), "duration of a data record must be above 0 s, not "
                            + EdfNumbers.plain(duration));
        }
        if (fileLength < expectedHeader) {
            throw new EdfFormatException(file, signalField(signalCount, (int) (fileLength - 256)), fileLength,
                    "file ends inside the signal headers; its " + signalCount + " signals need a " + expectedHeader
                            + "-byte header");
        }
        byte[] perSignal = in.readNBytes(256 * signalCount);
        if (perSignal.length < 256 * signalCount) {
            throw new EdfFormatException(file, signalField(signalCount, perSignal.length), 256L + perSignal.length,
                    "file ends inside the signal headers");
        }
        checkAscii(perSignal, signalCount);
        List<EdfSignal> signals = new ArrayList<>(signalCount);
        for (int i = 0; i < signalCount; i++) {
            signals.add(signal(perSignal, signalCount, i));
        }
        long recordBytes = 0;
        for (EdfSignal signal : signals) {
            recordBytes += 2L * signal.samplesPerRecord();
        }
        if (recordBytes > Integer.MAX_VALUE - 8) {
            throw new EdfFormatException(file, "header field '" + SignalField.SAMPLES.title() + "'",
                    SignalField.SAMPLES.offset(signalCount, 0), "a data record of " + recordBytes
                            + " bytes is too large to process");
        }
        long records = checkLength(declaredRecords, expectedHeader, recordBytes, fileLength);
        return new EdfHeader(text(fixed, HeaderField.PATIENT), text(fixed, HeaderField.RECORDING), startDate,
                startTime, reserved, records, duration, signals);
    }

    private long checkLength(long declared, long headerBytes, long recordBytes, long fileLength)
            throws EdfFormatException {
        long dataBytes = fileLength - headerBytes;
        String declaredAt = "header field '" + HeaderField.DATA_RECORDS.title() + "' at byte offset "
                + HeaderField.DATA_RECORDS.offset();
        if (declared == -1) {
            long records = dataBytes / recordBytes;
            if (dataBytes % recordBytes != 0) {
                long start = headerBytes + records * recordBytes;
                throw new EdfFormatException(file, "data record " + (records + 1), start, "file ends at byte offset "
                        + fileLength + ", " + (fileLength - start) + " bytes into a " + recordBytes
                        + "-byte data record (" + declaredAt + " is -1, so the count comes from the length)");
            }
            if (records < 1) {
                throw new EdfFormatException(file, field(HeaderField.DATA_RECORDS), HeaderField.DATA_RECORDS.offset(),
                        "the file holds no data records");
            }
            return records;
        }
        long expected = headerBytes + declared * recordBytes;
        if (fileLength < expected) {
            long complete = dataBytes / recordBytes;
            long start = headerBytes + complete * recordBytes;
            throw new EdfFormatException(file, "data record " + (complete + 1) + " of " + declared, start,
                    "file is truncated: it ends at byte offset " + fileLength + ", " + (fileLength - start)
                            + " bytes into a " + recordBytes + "-byte data record, but " + declaredAt
                            + " declares " + declared + " records (" + expected + " bytes in all)");
        }
        if (fileLength > expected) {
            throw new EdfFormatException(file, "end of data record " + declared, expected, "file has "
                    + (fileLength - expected) + " bytes after the last data record; " + declaredAt + " declares "
                    + declared + " records of " + recordBytes + " bytes");
        }
        return declared;
    }

    private EdfSignal signal(byte[] block, int count, int i) throws EdfFormatException {
        String label = text(block, count, i, SignalField.LABEL);
        String where = " of signal " + (i + 1) + " (" + label + ")";
        double physicalMin = decimal(block, count, i, SignalField.PHYSICAL_MIN, where).doubleValue();
        double physicalMax = decimal(block, count, i, SignalField.PHYSICAL_MAX, where).doubleValue();
        long digitalMin = integer(block, count, i, SignalField.DIGITAL_MIN, where);
        long digitalMax = integer(block, count, i, SignalField.DIGITAL_MAX, where);
        long samples = integer(block, count, i, SignalField.SAMPLES, where);
        checkDigital(digitalMin, count, i, SignalField.DIGITAL_MIN, where);
        checkDigital(digitalMax, count, i, SignalField.DIGITAL_MAX, where);
        if (digitalMin >= digitalMax) {
            throw new EdfFormatException(file, "header field '" + SignalField.DIGITAL_MIN.title() + "'" + where,
                    SignalField.DIGITAL_MIN.offset(count, i), "digital minimum " + digitalMin
                            + " must be below digital maximum " + digitalMax);
        }
        if (physicalMin == physicalMax) {
            throw new EdfFormatException(file, "header field '" + SignalField.PHYSICAL_MIN.title() + "'" + where,
                    SignalField.PHYSICAL_MIN.offset(count, i), "physical minimum and maximum are both "
                            + text(block, count, i, SignalField.PHYSICAL_MIN) + "; they must differ");
        }
        if (samples < 1 || samples > Integer.MAX_VALUE / 2) {
            throw new EdfFormatException(file, "header field '" + SignalField.SAMPLES.title() + "'" + where,
                    SignalField.SAMPLES.offset(count, i), "samples per data record must be at least 1, not "
                            + samples);
        }
        return new EdfSignal(label, text(block, count, i, SignalField.TRANSDUCER),
                text(block, count, i, SignalField.PHYSICAL_DIMENSION), physicalMin, physicalMax, (int) digitalMin,
                (int) digitalMax, text(block, count, i, SignalField.PREFILTERING), (int) samples,
                text(block, count, i, SignalField.RESERVED));
    }

    private void checkDigital(long value, int count, int i, SignalField field, String where)
            throws EdfFormatException {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new EdfFormatException(file, "header field '" + field.title() + "'" + where, field.offset(count, i),
                    value + " is outside the 16-bit range -32768..32767 of EDF samples");
        }
    }

    private void checkAscii(byte[] fixed) throws EdfFormatException {
        int bad = firstNonAscii(fixed);
        if (bad >= 0) {
            throw notAscii(field(HeaderField.at(bad)), bad, fixed[bad]);
        }
    }

    private void checkAscii(byte[] perSignal, int count) throws EdfFormatException {
        int bad = firstNonAscii(perSignal);
        if (bad >= 0) {
            throw notAscii(signalField(count, bad), 256L + bad, perSignal[bad]);
        }
    }

    /** Names the field holding byte {@code relative} of the signal headers (which start at file offset 256). */
    private static String signalField(int count, int relative) {
        SignalField field = SignalField.at(count, relative);
        long signal = (relative + 256 - field.offset(count, 0)) / field.width();
        return "header field '" + field.title() + "' of signal " + (signal + 1);
    }

    private EdfFormatException notAscii(String field, long offset, byte b) {
        return new EdfFormatException(file, field, offset, String.format(
                "byte 0x%02X is not printable ASCII; EDF header fields hold ASCII characters 0x20-0x7E only",
                b & 0xff));
    }

    private static int firstNonAscii(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 || b > 0x7e) {
                return i;
            }
        }
        return -1;
    }

    private String clock(byte[] fixed, HeaderField field) throws EdfFormatException {
        String value = text(fixed, field);
        if (!CLOCK.matcher(value).matches()) {
            throw new EdfFormatException(file, field(field), field.offset(),
                    "'" + value + "' is not of the form nn.nn.nn");
        }
        return value;
    }

    private long integer(byte[] fixed, HeaderField field) throws EdfFormatException {
        return integer(text(fixed, field), field(field), field.offset());
    }

    private BigDecimal decimal(byte[] fixed, HeaderField field) throws EdfFormatException {
        return decimal(text(fixed, field), field(field), field.offset());
    }

    private long integer(byte[] block, int count, int i, SignalField field, String where)
            throws EdfFormatException {
        return integer(text(block, count, i, field), "header field '" + field.title() + "'" + where,
                field.offset(count, i));
    }

    private BigDecimal decimal(byte[] block, int count, int i, SignalField field, String where)
            throws EdfFormatException {
        return decimal(text(block, count, i, field), "header field '" + field.title() + "'" + where,
                field.offset(count, i));
    }

    private long integer(String text, String field, long offset) throws EdfFormatException {
        if (!INTEGER.matcher(text).matches()) {
            throw new EdfFormatException(file, field, offset, "'" + text + "' is not a whole number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new EdfFormatException(file, field, offset, "'" + text + "' is out of range");
        }
    }

    private BigDecimal decimal(String text, String field, long offset) throws EdfFormatException {
        if (!DECIMAL.matcher(text).matches()) {
            throw new EdfFormatException(file, field, offset, "'" + text + "' is not a decimal number");
        }
        return new BigDecimal(text);
    }

    private static String field(HeaderField field) {
        return "header field '" + field.title() + "'";
    }

    private static String text(byte[] fixed, HeaderField field) {
        return new String(fixed, field.offset(), field.width(), StandardCharsets.US_ASCII).trim();
    }

    private static String text(byte[] block, int count, int i, SignalField field) {
        int offset = (int) (field.offset(count, i) - 256);
        return new String(block, offset, field.width(), StandardCharsets.US_ASCII).trim();
    }
}
