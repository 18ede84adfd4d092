package dev.sandboxed.sandbox;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A host directory or file made visible inside the container.
 *
 * @param source the host path, absolute
 * @param target the path inside the container, absolute
 * @param writable false for inputs, which the application must not be able to change
 * @param scratch for an input the application may write to without changing it: the host directory where an
 *     overlay keeps what the container wrote ({@code upper/}, with {@code work/} for the overlay's own use), so
 *     every such write can be listed after the run while {@code source} stays untouched
 */
public record Mount(Path source, String target, boolean writable, Optional<Path> scratch) {

    public Mount {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(scratch, "scratch");
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("mount source must be an absolute host path, got " + source);
        }
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("mount target must be an absolute container path, got " + target);
        }
        if (scratch.isPresent() && !canOverlay(source, scratch.get())) {
            throw new IllegalArgumentException("an overlay cannot name " + source + " or " + scratch.get()
                    + ": its options are separated by commas and colons");
        }
    }

    public static Mount readOnly(Path source, String target) {
        return new Mount(source.toAbsolutePath(), target, false, Optional.empty());
    }

    public static Mount writable(Path source, String target) {
        return new Mount(source.toAbsolutePath(), target, true, Optional.empty());
    }

    /** {@code source} writable through an overlay whose changes land in {@code scratch}; see {@link #scratch}. */
    public static Mount copyOnWrite(Path source, String target, Path scratch) {
        return new Mount(source.toAbsolutePath(), target, true, Optional.of(scratch.toAbsolutePath()));
    }

    /** Whether both paths can be written into an overlay's mount options. */
    public static boolean canOverlay(Path source, Path scratch) {
        return !(source + "" + scratch).contains(",") && !(source + "" + scratch).contains(":");
    }

    /**
     * The {@code --mount} value; fields holding a comma or quote are CSV-quoted, as the docker CLI parses CSV. An
     * overlay is an anonymous volume the engine mounts (so a build without root can have one) and removes with the
     * container.
     */
    String dockerArgument() {
        if (scratch.isPresent()) {
            Path upper = scratch.get().resolve("upper");
            Path work = scratch.get().resolve("work");
            return "type=volume," + csv("target=" + target) + ",volume-driver=local,volume-opt=type=overlay,"
                    + "volume-opt=device=overlay,"
                    + csv("volume-opt=o=lowerdir=" + source + ",upperdir=" + upper + ",workdir=" + work);
        }
        return "type=bind," + csv("source=" + source) + "," + csv("target=" + target) + (writable ? "" : ",readonly");
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
