package dev.sandboxed.goals;

import java.util.Locale;

/** What the policy does to a call it does not allow while {@code verify} runs. */
public enum VerifyMode {
    /** The policy's own action: the run behaves as it would in production, and stops where the policy stops it. */
    ENFORCE,
    /**
     * Each refused call is reported and let through, so the run goes on and every violation of the whole run is
     * collected. Files outside the rules stay refused (and are reported). Only for code one would also run
     * unconfined: nothing the policy would refuse is refused.
     */
    COMPLAIN;

    /** Parses {@code enforce} or {@code complain}, in any case. */
    public static VerifyMode parse(String text) {
        for (VerifyMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode \"" + text + "\"; use enforce or complain");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
