package dev.sandboxed.normalizer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Streams the data records of an EDF file after validating its header. Records are read in whole blocks, with
 * read calls of at most {@link #IO_BUFFER} bytes, so memory use depends on the block the caller passes, never on
 * the file size.
 */
public final class EdfReader implements Closeable {
    /** Bytes per read (and, in the writers, write) call. */
    public static final int IO_BUFFER = 64 * 1024;
    /**
     * Target size of a block of records processed together: large enough that handing each channel's share of a
     * block to another thread is worth it, small enough to keep memory flat.
     */
    public static final int BLOCK_BYTES = 16 * IO_BUFFER;

    private final Path file;
    private final InputStream in;
    private final EdfHeader header;
    private long recordsRead;

    private EdfReader(Path file, InputStream in, EdfHeader header) {
        this.file = file;
        this.in = in;
        this.header = header;
    }

    /**
     * Opens {@code file} and validates its header against its length.
     *
     * @throws EdfFormatException if the file is not a readable EDF or EDF+C recording
     */
    public static EdfReader open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long length = Files.size(file);
        InputStream in = Files.newInputStream(file);
        try {
            return new EdfReader(file, in, EdfHeaderReader.read(file, in, length));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public EdfHeader header() {
        return header;
    }

    /** How many whole records fit a block of about {@link #BLOCK_BYTES} bytes; at least one. */
    public int recordsPerBlock() {
        return Math.max(1, BLOCK_BYTES / header.recordBytes());
    }

    /** Index of the next record {@link #read} returns. */
    public long recordsRead() {
        return recordsRead;
    }

    /** Byte offset in the file of data record {@code record} (0-based). */
    public long offsetOf(long record) {
        return header.headerBytes() + record * header.recordBytes();
    }

    /**
     * Reads up to {@code maxRecords} whole data records into the start of {@code block}.
     *
     * @return the number of records read; 0 once all declared records have been read
     * @throws EdfFormatException if the file ends early (it shrank after it was opened)
     */
    public int read(byte[] block, int maxRecords) throws IOException {
        int recordBytes = header.recordBytes();
        int records = (int) Math.min(maxRecords, header.dataRecords() - recordsRead);
        if (records <= 0) {
            return 0;
        }
        if ((long) records * recordBytes > block.length) {
            throw new IllegalArgumentException(records + " records of " + recordBytes + " bytes do not fit a "
                    + block.length + "-byte block");
        }
        int total = records * recordBytes;
        int done = 0;
        while (done < total) {
            int n = in.read(block, done, Math.min(IO_BUFFER, total - done));
            if (n < 0) {
                long offset = offsetOf(recordsRead) + done;
                throw new EdfFormatException(file, "data record " + (recordsRead + done / recordBytes + 1), offset,
                        "file ended early; it was shortened while being read");
            }
            done += n;
        }
        recordsRead += records;
        return records;
    }

    /** Sample {@code index} of a record's signal, which starts at {@code offset} in {@code block}. */
    public static short sample(byte[] block, int offset, int index) {
        int at = offset + 2 * index;
        return (short) ((block[at] & 0xff) | (block[at + 1] << 8));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
