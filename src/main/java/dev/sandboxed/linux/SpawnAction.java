package dev.sandboxed.linux;

import java.util.Objects;

/**
 * One {@code posix_spawn} file action, applied in the child between the fork and the exec. This is how a child
 * gets pipes as its standard streams without running any Java code after fork.
 */
public sealed interface SpawnAction {

    /** Make {@code target} a copy of {@code source}; the copy is not close-on-exec. */
    record Dup2(int source, int target) implements SpawnAction {
    }

    record Close(int fd) implements SpawnAction {
    }

    record Open(int fd, String path, int flags, int mode) implements SpawnAction {
        public Open {
            Objects.requireNonNull(path, "path");
        }
    }

    record Chdir(String directory) implements SpawnAction {
        public Chdir {
            Objects.requireNonNull(directory, "directory");
        }
    }

    static SpawnAction dup2(int source, int target) {
        return new Dup2(source, target);
    }

    static SpawnAction close(int fd) {
        return new Close(fd);
    }

    static SpawnAction open(int fd, String path, int flags, int mode) {
        return new Open(fd, path, flags, mode);
    }

    static SpawnAction chdir(String directory) {
        return new Chdir(directory);
    }
}
