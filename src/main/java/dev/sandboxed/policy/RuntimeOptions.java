package dev.sandboxed.policy;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Settings a Docker/OCI profile carries beside its rules: filter flags ({@code SECCOMP_FILTER_FLAG_*}) and the
 * user-notification listener. They do not change decisions, but an import followed by an export must keep them.
 */
public record RuntimeOptions(SortedSet<String> flags, String listenerPath, String listenerMetadata) {

    private static final RuntimeOptions NONE = new RuntimeOptions(new TreeSet<>(), "", "");

    public RuntimeOptions {
        flags = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(flags, "flags")));
        Objects.requireNonNull(listenerPath, "listenerPath");
        Objects.requireNonNull(listenerMetadata, "listenerMetadata");
    }

    public static RuntimeOptions none() {
        return NONE;
    }
}
