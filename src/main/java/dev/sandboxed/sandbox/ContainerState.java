package dev.sandboxed.sandbox;

import java.util.Objects;

/**
 * The engine's view of a container after it stopped.
 *
 * @param status {@code exited}, {@code created}, {@code running}, ...
 * @param exitCode the main process's exit code, 128 + signal when a signal ended it
 * @param oomKilled whether the kernel's OOM killer ended a process of the container
 * @param error the engine's error when the container could not even start, else empty
 */
public record ContainerState(String status, int exitCode, boolean oomKilled, String error) {

    public ContainerState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
    }
}
