package dev.sandboxed.goals;

import java.util.Objects;

/** A verify request that cannot be run as configured; names the parameter to change. */
public class VerifyConfigurationException extends RuntimeException {

    private final String parameter;

    public VerifyConfigurationException(String parameter, String message) {
        super(message);
        this.parameter = Objects.requireNonNull(parameter, "parameter");
    }

    /** The parameter at fault, as the plugin's properties name it ({@code sandbox.outputs}). */
    public String parameter() {
        return parameter;
    }
}
