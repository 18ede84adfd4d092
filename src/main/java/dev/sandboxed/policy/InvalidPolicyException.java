package dev.sandboxed.policy;

/**
 * A policy or recording that cannot be accepted as it is: something the user must fix. Carries where the
 * problem is, when it came from a file, so a build failure can point at the line.
 */
public class InvalidPolicyException extends RuntimeException {

    private final transient Location location;

    public InvalidPolicyException(String message) {
        this(message, null, null);
    }

    public InvalidPolicyException(String message, Location location, Throwable cause) {
        super(location == null ? message : location + ": " + message, cause);
        this.location = location;
    }

    /** Where in which file, when known; otherwise {@code null}. */
    public Location location() {
        return location;
    }
}
