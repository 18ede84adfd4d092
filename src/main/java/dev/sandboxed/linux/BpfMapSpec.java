package dev.sandboxed.linux;

import java.util.Objects;

/**
 * The {@code BPF_MAP_CREATE} attributes a map is made from.
 *
 * @param type a {@code BPF_MAP_TYPE_*} value ({@link Bpf#MAP_HASH}, ...)
 * @param keySize bytes per key; the kernel limits hash keys to 512
 * @param valueSize bytes per value
 * @param maxEntries capacity; an update beyond it fails with {@code E2BIG}
 * @param flags {@code BPF_F_*} map flags, such as {@link Bpf#F_NO_PREALLOC}
 * @param name up to 15 characters, shown by {@code bpftool map}
 */
public record BpfMapSpec(int type, int keySize, int valueSize, int maxEntries, int flags, String name) {

    public BpfMapSpec {
        Objects.requireNonNull(name, "name");
        if (keySize <= 0 || valueSize <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("map " + name + ": key size, value size and capacity must be positive, got "
                    + keySize + ", " + valueSize + ", " + maxEntries);
        }
        if (name.length() > 15) {
            throw new IllegalArgumentException("map name " + name + " is longer than the kernel's 15 characters");
        }
    }
}
