package dev.sandboxed.normalizer;

/**
 * The per-signal fields of an EDF header. EDF stores them field by field (all labels, then all transducers, ...),
 * so a field's position depends on the number of signals; {@link #offset} does that arithmetic once for the
 * reader, the writer and error messages alike.
 */
enum SignalField {
    LABEL("label", 16),
    TRANSDUCER("transducer type", 80),
    PHYSICAL_DIMENSION("physical dimension", 8),
    PHYSICAL_MIN("physical minimum", 8),
    PHYSICAL_MAX("physical maximum", 8),
    DIGITAL_MIN("digital minimum", 8),
    DIGITAL_MAX("digital maximum", 8),
    PREFILTERING("prefiltering", 80),
    SAMPLES("number of samples in each data record", 8),
    RESERVED("reserved", 32);

    /** Bytes of header per signal: the sum of all widths. */
    static final int BYTES_PER_SIGNAL = 256;

    private final String title;
    private final int width;

    SignalField(String title, int width) {
        this.title = title;
        this.width = width;
    }

    String title() {
        return title;
    }

    int width() {
        return width;
    }

    /** Byte offset from the start of the file of this field of signal {@code signal} (0-based) of {@code count}. */
    long offset(int count, int signal) {
        long before = 0;
        for (SignalField field : values()) {
            if (field == this) {
                break;
            }
            before += field.width;
        }
        return 256L + before * count + (long) signal * width;
    }

    /** The field that holds byte {@code relative} of the per-signal header block (0..256*count-1). */
    static SignalField at(int count, long relative) {
        long end = 0;
        for (SignalField field : values()) {
            end += (long) field.width * count;
            if (relative < end) {
                return field;
            }
        }
        throw new IllegalArgumentException("offset " + relative + " is past the signal headers");
    }
}
