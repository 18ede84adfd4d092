package dev.sandboxed.record;

/**
 * The byte layout of the recorder's map keys and values, shared by the programs that write them
 * ({@link EbpfPrograms}) and the code that reads them back ({@link EbpfProbes}). Native byte order throughout.
 */
final class EbpfLayout {

    /** Longest path (with its NUL) read from a traced process; a longer one is cut at its last whole directory. */
    static final int PATH_BYTES = 256;
    /** Socket address bytes kept, {@code sizeof(struct sockaddr_storage)}. */
    static final int ADDRESS_BYTES = SocketAddresses.MAX_LENGTH;

    /**
     * tasks: tgid (u32) to its component key (low 32 bits; 0 while the root has not yet executed the command) and
     * {@link #MOVED}.
     */
    static final int TASK_KEY = 4;
    /** Task flag: the process changed its working directory (or a parent did), so cwd-relative paths are unknown. */
    static final long MOVED = 1L << 32;
    static final int TASK_VALUE = 8;

    /** counts: {component u64, nr u64} to count u64. */
    static final int COUNT_KEY = 16;
    static final int COUNT_VALUE = 8;

    /** values: {component u64, nr u32, argument index u32, value u64}, a set. */
    static final int VALUE_KEY = 24;

    /**
     * paths: {component u64, nr u32, path slot u8 (index into {@link CallFacts#paths}), relative-to-cwd u8, pad u16,
     * flags u64, path char[PATH_BYTES]}, a set.
     */
    static final int PATH_SLOT = 12;
    static final int PATH_CWD = 13;
    static final int PATH_FLAGS = 16;
    static final int PATH_TEXT = 24;
    static final int PATH_KEY = PATH_TEXT + PATH_BYTES;

    /** addresses: {component u64, nr u32, length u32, bytes[ADDRESS_BYTES]}, a set. */
    static final int ADDRESS_LENGTH = 12;
    static final int ADDRESS_TEXT = 16;
    static final int ADDRESS_KEY = ADDRESS_TEXT + ADDRESS_BYTES;

    /** execs: component key (u64) to {tgid u32, first u32 (1: the run's command itself), filename char[PATH_BYTES]}. */
    static final int EXEC_KEY = 8;
    static final int EXEC_FIRST = 4;
    static final int EXEC_FILENAME = 8;
    static final int EXEC_VALUE = EXEC_FILENAME + PATH_BYTES;

    /** The per-CPU scratch buffer keys are assembled in, too big for the 512-byte stack alongside the rest. */
    static final int SCRATCH = PATH_KEY;

    /** A set's value: present. */
    static final int SET_VALUE = 1;

    /** born: every pid the tree forked (u32), a set; the orphans among them are reaped at the end. */
    static final int BORN_KEY = 4;

    private EbpfLayout() {
    }
}
