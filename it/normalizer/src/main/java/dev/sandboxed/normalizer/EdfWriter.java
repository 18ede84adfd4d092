package dev.sandboxed.normalizer;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes an EDF file record by record. The caller fills each signal of the current record, then ends it; the
 * writer refuses a record with a signal left unfilled and a file with fewer records than its header declares,
 * so a bug shows up as an exception instead of a file that other readers misparse.
 */
public final class EdfWriter implements Closeable {
    private final EdfHeader header;
    private final OutputStream out;
    private final byte[] record;
    private final int[] offsets;
    private final boolean[] filled;
    private long recordsWritten;

    private EdfWriter(EdfHeader header, OutputStream out) {
        this.header = header;
        this.out = out;
        this.record = new byte[header.recordBytes()];
        this.offsets = new int[header.signals().size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = header.signalOffset(i);
        }
        this.filled = new boolean[offsets.length];
    }

    /** Creates (or truncates) {@code file} and writes {@code header} to it. */
    public static EdfWriter create(Path file, EdfHeader header) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(header, "header");
        byte[] encoded = header.encode();
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), EdfReader.IO_BUFFER);
        try {
            out.write(encoded);
        } catch (IOException e) {
            out.close();
            throw e;
        }
        return new EdfWriter(header, out);
    }

    public EdfHeader header() {
        return header;
    }

    /** Sets signal {@code signal} of the current record from {@code samples[from..]}. */
    public void putSamples(int signal, short[] samples, int from) {
        int count = header.signals().get(signal).samplesPerRecord();
        Objects.checkFromIndexSize(from, count, samples.length);
        int at = offsets[signal];
        for (int i = 0; i < count; i++) {
            short s = samples[from + i];
            record[at++] = (byte) s;
            record[at++] = (byte) (s >> 8);
        }
        filled[signal] = true;
    }

    /** Sets signal {@code signal} of the current record to raw bytes, as annotation signals are stored. */
    public void putBytes(int signal, byte[] bytes, int from) {
        int count = 2 * header.signals().get(signal).samplesPerRecord();
        Objects.checkFromIndexSize(from, count, bytes.length);
        System.arraycopy(bytes, from, record, offsets[signal], count);
        filled[signal] = true;
    }

    /** Writes the current record and starts the next. */
    public void endRecord() throws IOException {
        for (int i = 0; i < filled.length; i++) {
            if (!filled[i]) {
                throw new IllegalStateException("signal " + (i + 1) + " (" + header.signals().get(i).label()
                        + ") of record " + (recordsWritten + 1) + " was not set");
            }
            filled[i] = false;
        }
        if (recordsWritten == header.dataRecords()) {
            throw new IllegalStateException("the header declares " + header.dataRecords() + " records; no more fit");
        }
        out.write(record);
        recordsWritten++;
    }

    public long recordsWritten() {
        return recordsWritten;
    }

    /**
     * Flushes and closes the file.
     *
     * @throws IllegalStateException if fewer records were written than the header declares
     */
    @Override
    public void close() throws IOException {
        try (out) {
            if (recordsWritten != header.dataRecords()) {
                throw new IllegalStateException("wrote " + recordsWritten + " records but the header declares "
                        + header.dataRecords());
            }
        }
    }
}
