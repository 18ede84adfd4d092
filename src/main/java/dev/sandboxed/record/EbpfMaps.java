package dev.sandboxed.record;

/** The fds of the recorder's maps, as the programs reference them. See {@link EbpfLayout} for their contents. */
record EbpfMaps(int tasks, int counts, int values, int paths, int addresses, int execs, int born, int scratch,
                int sequence) {
}
