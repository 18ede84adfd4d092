package dev.sandboxed.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory or file made visible inside the container.
 *
 * @param source the host path, absolute
 * @param target the path inside the container, absolute
 * @param writable false for inputs, which the application must not be able to change
 */
public record Mount(Path source, String target, boolean writable) {

    public Mount {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("mount source must be an absolute host path, got " + source);
        }
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("mount target must be an absolute container path, got " + target);
        }
    }

    public static Mount readOnly(Path source, String target) {
        return new Mount(source.toAbsolutePath(), target, false);
    }

    public static Mount writable(Path source, String target) {
        return new Mount(source.toAbsolutePath(), target, true);
    }

    /** The {@code --mount} value; fields holding a comma or quote are CSV-quoted, as the docker CLI parses CSV. */
    String dockerArgument() {
        return "type=bind," + csv("source=" + source) + "," + csv("target=" + target) + (writable ? "" : ",readonly");
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
