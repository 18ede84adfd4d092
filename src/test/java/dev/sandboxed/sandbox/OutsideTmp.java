package dev.sandboxed.sandbox;

import java.nio.file.Path;

/**
 * A place for test files that a sandboxed run must not be able to write. Every verified JVM may write {@code /tmp},
 * so when the checkout itself lies under {@code /tmp} (a CI clone in {@code mktemp -d}), the build directory is no
 * such place, and the user's cache directory is used instead.
 */
public final class OutsideTmp {

    private OutsideTmp() {
    }

    /** {@code target/<name>} of the checkout, or {@code ~/.cache/sandbox-maven-plugin-tests/<name>} when that is under /tmp. */
    public static Path directory(String name) {
        Path target = Path.of("target", name).toAbsolutePath().normalize();
        if (!target.startsWith(Path.of("/tmp"))) {
            return target;
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sandbox-maven-plugin-tests", name);
    }
}
