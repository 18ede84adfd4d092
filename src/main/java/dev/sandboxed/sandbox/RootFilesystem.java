package dev.sandboxed.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of an image, by absolute path inside the image, before they are written out. Keeping the plan apart
 * from the archive lets the same plan be hashed and written in one sorted pass, and lets two sources that claim
 * the same path be caught while both names are still known.
 */
public final class RootFilesystem {

    /** One path in the image. */
    public sealed interface Entry permits Directory, HostFile, InlineFile, Symlink {
        int mode();
    }

    public record Directory(int mode) implements Entry {
    }

    /** A regular file whose bytes are read from the host when the archive is written. */
    public record HostFile(Path source, int mode) implements Entry {
        public HostFile {
            Objects.requireNonNull(source, "source");
        }
    }

    public record InlineFile(byte[] content, int mode) implements Entry {
        public InlineFile {
            content = Objects.requireNonNull(content, "content").clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof InlineFile that && mode == that.mode && Arrays.equals(content, that.content);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(content) + mode;
        }

        @Override
        public String toString() {
            return "InlineFile[" + content.length + " bytes, mode=" + Integer.toOctalString(mode) + "]";
        }
    }

    public record Symlink(String target) implements Entry {
        public Symlink {
            Objects.requireNonNull(target, "target");
        }

        @Override
        public int mode() {
            return 0777;
        }
    }

    private final SortedMap<String, Entry> entries;

    private RootFilesystem(SortedMap<String, Entry> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /**
     * Identifies the archive this filesystem would produce without reading the files: each path with its kind,
     * mode, and for host files their source's size and modification time (see {@link Fingerprints}).
     */
    public String fingerprint() {
        StringBuilder print = new StringBuilder();
        entries.forEach((path, entry) -> {
            print.append(path).append(' ').append(Integer.toOctalString(entry.mode())).append(' ');
            if (entry instanceof HostFile host) {
                print.append(Fingerprints.of(host.source()));
            } else if (entry instanceof InlineFile inline) {
                print.append("inline ").append(Fingerprints.sha256(new String(inline.content(),
                        StandardCharsets.ISO_8859_1))).append('\n');
            } else if (entry instanceof Symlink symlink) {
                print.append("-> ").append(symlink.target()).append('\n');
            } else {
                print.append("dir\n");
            }
        });
        return Fingerprints.sha256(print.toString());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every path, parents before children, sorted so the archive is the same whatever order things were added. */
    public SortedMap<String, Entry> entries() {
        return entries;
    }

    public static final class Builder {

        private final SortedMap<String, Entry> entries = new TreeMap<>();

        private Builder() {
        }

        public Builder directory(String path, int mode) {
            return put(path, new Directory(mode));
        }

        /** A host file, stored as a regular file (a symlink is followed) and kept executable if it was. */
        public Builder file(String path, Path source) {
            Path real = realPath(source);
            if (!Files.isRegularFile(real)) {
                throw new IllegalArgumentException(source + " is not a regular file, cannot put it at " + path);
            }
            return put(path, new HostFile(real, Files.isExecutable(real) ? 0755 : 0644));
        }

        public Builder file(String path, byte[] content, int mode) {
            return put(path, new InlineFile(content, mode));
        }

        public Builder symlink(String path, String target) {
            return put(path, new Symlink(target));
        }

        /** A host directory and everything under it; symlinks inside stay symlinks, so relative ones keep working. */
        public Builder tree(String path, Path source) {
            Path root = realPath(source);
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(source + " is not a directory, cannot copy it to " + path);
            }
            directory(path, 0755);
            try (Stream<Path> walk = Files.walk(root)) {
                List<Path> all = walk.sorted().toList();
                for (Path file : all) {
                    if (file.equals(root)) {
                        continue;
                    }
                    String inImage = path + "/" + root.relativize(file).toString();
                    if (Files.isSymbolicLink(file)) {
                        symlink(inImage, Files.readSymbolicLink(file).toString());
                    } else if (Files.isDirectory(file)) {
                        directory(inImage, 0755);
                    } else if (Files.isRegularFile(file)) {
                        put(inImage, new HostFile(file, Files.isExecutable(file) ? 0755 : 0644));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
            }
            return this;
        }

        public boolean contains(String path) {
            return entries.containsKey(normalize(path));
        }

        public RootFilesystem build() {
            SortedMap<String, Entry> all = new TreeMap<>(entries);
            for (String path : entries.keySet()) {
                for (String parent = parentOf(path); parent != null; parent = parentOf(parent)) {
                    all.putIfAbsent(parent, new Directory(0755));
                }
            }
            return new RootFilesystem(all);
        }

        private Builder put(String path, Entry entry) {
            String normalized = normalize(path);
            Entry previous = entries.putIfAbsent(normalized, entry);
            if (previous != null && !previous.equals(entry)) {
                throw new IllegalArgumentException("two different entries claim " + normalized + " in the image: "
                        + previous + " and " + entry);
            }
            return this;
        }

        private static String parentOf(String path) {
            int slash = path.lastIndexOf('/');
            return slash <= 0 ? null : path.substring(0, slash);
        }

        private static String normalize(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("image paths are absolute, got '" + path + "'");
            }
            String normalized = Path.of(path).normalize().toString();
            if (normalized.equals("/")) {
                throw new IllegalArgumentException("not a usable image path: '" + path + "'");
            }
            return normalized;
        }

        private static Path realPath(Path source) {
            try {
                return source.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
            }
        }
    }
}
