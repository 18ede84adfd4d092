package dev.sandboxed.policy;

/** How a recorded path was used; {@code verify}'s filesystem confinement is derived from it. */
public enum FileAccess {
    READ,
    WRITE,
    CREATE,
    EXECUTE,
    DELETE
}
