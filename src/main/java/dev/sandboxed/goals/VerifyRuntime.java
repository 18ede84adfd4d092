package dev.sandboxed.goals;

import java.util.Locale;

/** Where {@code verify} runs the application. */
public enum VerifyRuntime {
    /** In a hardened container of an image assembled from the build (or the user's own). */
    DOCKER,
    /** On this machine, confined by no_new_privs, Landlock, a pids cgroup and the seccomp filter. */
    NATIVE,
    /** Docker when an engine answers, otherwise native. */
    AUTO;

    /** Parses {@code docker}, {@code native} or {@code auto}, in any case. */
    public static VerifyRuntime parse(String text) {
        for (VerifyRuntime runtime : values()) {
            if (runtime.name().equalsIgnoreCase(text.strip())) {
                return runtime;
            }
        }
        throw new IllegalArgumentException("unknown runtime \"" + text + "\"; use docker, native or auto");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
