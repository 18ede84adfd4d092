package dev.sandboxed.sandbox;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying an application in Docker.
 *
 * @param engine the engine that was (or was not) available
 * @param image the assembled image, empty when the user named one or assembly did not happen
 * @param run how the container run ended
 * @param violations what the policy stopped or logged, with reasons the list may be incomplete
 */
public record DockerVerification(EngineStatus engine, Optional<AppImage> image, ContainerRun run,
                                 Violations violations) {

    public DockerVerification {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(violations, "violations");
    }
}
