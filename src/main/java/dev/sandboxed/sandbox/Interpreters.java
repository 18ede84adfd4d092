package dev.sandboxed.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The program the kernel opens for execution along with another: a dynamically linked ELF file's interpreter
 * ({@code PT_INTERP}, the dynamic loader) or a script's {@code #!} interpreter. Landlock checks the execute right
 * on both, so a rule allowing a program must allow its interpreter too.
 */
final class Interpreters {

    private static final int PT_INTERP = 3;
    private static final int ELF_HEADER = 64;
    private static final int MAX_PROGRAM_HEADERS = 256;

    private Interpreters() {
    }

    static Optional<Path> of(Path program) {
        try (InputStream in = Files.newInputStream(program)) {
            byte[] head = in.readNBytes(ELF_HEADER);
            if (head.length >= 3 && head[0] == '#' && head[1] == '!') {
                return script(program);
            }
            if (head.length == ELF_HEADER && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F'
                    && head[4] == 2 && head[5] == 1) {
                return elf64(program, ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> script(Path program) throws IOException {
        try (InputStream in = Files.newInputStream(program)) {
            byte[] head = in.readNBytes(256);
            String line = new String(head, 2, head.length - 2, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            String[] words = line.strip().split("\\s+");
            return words.length == 0 || !words[0].startsWith("/") ? Optional.empty() : path(words[0]);
        }
    }

    /** Reads the program headers of a little-endian 64-bit ELF file and returns its {@code PT_INTERP} string. */
    private static Optional<Path> elf64(Path program, ByteBuffer header) throws IOException {
        long programHeaders = header.getLong(0x20);
        int entrySize = Short.toUnsignedInt(header.getShort(0x36));
        int count = Math.min(Short.toUnsignedInt(header.getShort(0x38)), MAX_PROGRAM_HEADERS);
        if (entrySize < 0x38) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(program, StandardOpenOption.READ)) {
            ByteBuffer entry = ByteBuffer.allocate(entrySize).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                entry.clear();
                if (channel.read(entry, programHeaders + (long) i * entrySize) < 0x38) {
                    return Optional.empty();
                }
                if (entry.getInt(0) != PT_INTERP) {
                    continue;
                }
                long offset = entry.getLong(0x08);
                int size = (int) Math.min(entry.getLong(0x20), 4096);
                ByteBuffer name = ByteBuffer.allocate(size);
                channel.read(name, offset);
                String text = new String(name.array(), 0, name.position(), StandardCharsets.UTF_8);
                int nul = text.indexOf('\0');
                return path(nul >= 0 ? text.substring(0, nul) : text);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> path(String name) {
        try {
            Path path = Path.of(name);
            return path.isAbsolute() ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
