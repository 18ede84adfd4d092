package dev.sandboxed.normalizer;

/** The fields of the fixed 256-byte part of an EDF header, in file order, with the names the EDF spec uses. */
enum HeaderField {
    VERSION("version", 8),
    PATIENT("local patient identification", 80),
    RECORDING("local recording identification", 80),
    START_DATE("startdate", 8),
    START_TIME("starttime", 8),
    HEADER_BYTES("number of bytes in header record", 8),
    RESERVED("reserved", 44),
    DATA_RECORDS("number of data records", 8),
    RECORD_DURATION("duration of a data record", 8),
    SIGNAL_COUNT("number of signals", 4);

    private final String title;
    private final int width;

    HeaderField(String title, int width) {
        this.title = title;
        this.width = width;
    }

    String title() {
        return title;
    }

    int width() {
        return width;
    }

    /** Byte offset of the field from the start of the file. */
    int offset() {
        int offset = 0;
        for (HeaderField field : values()) {
            if (field == this) {
                return offset;
            }
            offset += field.width;
        }
        throw new AssertionError(this);
    }

    /** The field that holds the byte at {@code offset} (0..255). */
    static HeaderField at(int offset) {
        for (HeaderField field : values()) {
            if (offset < field.offset() + field.width) {
                return field;
            }
        }
        throw new IllegalArgumentException("offset " + offset + " is past the fixed header");
    }
}
