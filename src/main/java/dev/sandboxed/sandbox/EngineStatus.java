package dev.sandboxed.sandbox;

import java.util.Objects;

/**
 * Whether a Docker engine answers, and if not, why, in words a user can act on.
 *
 * @param available true when the engine answered
 * @param serverVersion the engine's version when it answered, else empty
 * @param reason why it is unusable, else empty
 */
public record EngineStatus(boolean available, String serverVersion, String reason) {

    public EngineStatus {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(reason, "reason");
    }

    public static EngineStatus answering(String serverVersion) {
        return new EngineStatus(true, serverVersion, "");
    }

    public static EngineStatus unavailable(String reason) {
        return new EngineStatus(false, "", reason);
    }

    /** The one line {@code sandbox.runtime=auto} logs: where the run goes, and why. */
    public String autoChoice() {
        return available ? "Runtime: docker (auto: Docker " + serverVersion + " answered)"
                : "Runtime: native (auto: no Docker engine, " + reason + ")";
    }

    /**
     * Whether the engine passes a profile's {@code flags} (such as {@code SECCOMP_FILTER_FLAG_LOG}) on to the
     * runtime. Docker 20.10 parses profiles into its own type that has no such field and drops them silently
     * (seen here in the OCI bundle's {@code config.json}); moby added the field for 23.0. Without it, denials
     * answered with an errno are never logged, so only complain-mode ({@code SCMP_ACT_LOG}) and kill actions can
     * be collected.
     */
    public boolean passesSeccompFlags() {
        if (!available) {
            return false;
        }
        String major = serverVersion.split("[.+-]", 2)[0];
        try {
            return Integer.parseInt(major) >= 23;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
