package dev.sandboxed.sandbox;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes a {@link RootFilesystem} as a POSIX (ustar + pax) tar that depends only on the files' contents: entries
 * in path order, one fixed modification time, owner root, no user or group names. Equal inputs therefore give
 * byte-identical archives, and the archive's SHA-256 can name the image built from it.
 */
public final class TarArchive {

    /** 2000-01-01T00:00:00Z, a fixed time far from 0 so no tool mistakes it for "unset". */
    public static final long MODIFICATION_TIME = 946_684_800L;

    /** Names this writer's layout; anything that remembers archive hashes must key on it too. */
    public static final String FORMAT = "ustar+pax/1 mtime=" + MODIFICATION_TIME;

    private static final int BLOCK = 512;
    private static final int NAME_LENGTH = 100;

    /**
     * What was written.
     *
     * @param sha256 hex SHA-256 of the archive bytes
     * @param bytes archive length
     */
    public record Written(String sha256, long bytes) {
    }

    private TarArchive() {
    }

    public static Written write(RootFilesystem filesystem, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            return write(filesystem, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static Written write(RootFilesystem filesystem, OutputStream target) throws IOException {
        MessageDigest digest = sha256();
        CountingOutputStream counting = new CountingOutputStream(target);
        DigestOutputStream out = new DigestOutputStream(new BufferedOutputStream(counting, 1 << 16), digest);
        for (Map.Entry<String, RootFilesystem.Entry> entry : filesystem.entries().entrySet()) {
            writeEntry(out, entry.getKey().substring(1), entry.getValue());
        }
        out.write(new byte[2 * BLOCK]);
        out.flush();
        return new Written(HexFormat.of().formatHex(digest.digest()), counting.count);
    }

    private static void writeEntry(OutputStream out, String path, RootFilesystem.Entry entry) throws IOException {
        if (entry instanceof RootFilesystem.Directory directory) {
            header(out, path + "/", '5', directory.mode(), 0, "");
        } else if (entry instanceof RootFilesystem.Symlink symlink) {
            header(out, path, '2', symlink.mode(), 0, symlink.target());
        } else if (entry instanceof RootFilesystem.InlineFile inline) {
            byte[] content = inline.content();
            header(out, path, '0', inline.mode(), content.length, "");
            out.write(content);
            pad(out, content.length);
        } else if (entry instanceof RootFilesystem.HostFile host) {
            long size = Files.size(host.source());
            header(out, path, '0', host.mode(), size, "");
            long copied;
            try (InputStream in = Files.newInputStream(host.source())) {
                copied = in.transferTo(out);
            }
            if (copied != size) {
                throw new IOException(host.source() + " changed while it was being archived");
            }
            pad(out, size);
        }
    }

    private static void header(OutputStream out, String name, char type, int mode, long size, String link)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > NAME_LENGTH || linkBytes.length > NAME_LENGTH || !isPrintableAscii(nameBytes)
                || !isPrintableAscii(linkBytes)) {
            StringBuilder records = new StringBuilder();
            records.append(paxRecord("path", name));
            if (!link.isEmpty()) {
                records.append(paxRecord("linkpath", link));
            }
            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            out.write(block("././@PaxHeader".getBytes(StandardCharsets.US_ASCII), 'x', 0644, pax.length,
                    new byte[0]));
            out.write(pax);
            pad(out, pax.length);
        }
        out.write(block(nameBytes, type, mode, size, linkBytes));
    }

    private static byte[] block(byte[] name, char type, int mode, long size, byte[] link) {
        byte[] header = new byte[BLOCK];
        System.arraycopy(name, 0, header, 0, Math.min(name.length, NAME_LENGTH));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, MODIFICATION_TIME);
        header[156] = (byte) type;
        System.arraycopy(link, 0, header, 157, Math.min(link.length, NAME_LENGTH));
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        octal(header, 148, 7, checksum);
        return header;
    }

    /** A pax record's length counts its own digits, so the length is found by fixpoint. */
    private static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length = body + Integer.toString(length).length();
        }
        return length + " " + key + "=" + value + "\n";
    }

    private static void octal(byte[] header, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a tar header field");
        }
        String padded = "0".repeat(width - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, offset, width - 1);
        header[offset + width - 1] = 0;
    }

    private static void pad(OutputStream out, long size) throws IOException {
        int remainder = (int) (size % BLOCK);
        if (remainder != 0) {
            out.write(new byte[BLOCK - remainder]);
        }
    }

    /** Anything else goes into a pax record too, where UTF-8 is defined rather than left to the reader's guess. */
    private static boolean isPrintableAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static final class CountingOutputStream extends FilterOutputStream {

        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
