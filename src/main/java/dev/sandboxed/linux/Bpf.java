package dev.sandboxed.linux;

/**
 * The {@code bpf(2)} system call, as far as loading tracing programs and reading their maps needs it. Every
 * returned fd is close-on-exec and owned by the caller, who closes it with {@link LinuxLibC#close}.
 *
 * <p>Obtain it from {@link Linux#bpf()}.
 */
public interface Bpf {

    int MAP_HASH = 1;
    int MAP_ARRAY = 2;
    int MAP_PERCPU_ARRAY = 6;

    /** Allocate hash elements on insert instead of up front: a large, mostly empty map then costs no memory. */
    int F_NO_PREALLOC = 1;

    int PROG_TYPE_TRACEPOINT = 5;

    /** {@link #mapUpdate} flag: insert or replace. */
    long ANY = 0;
    /** {@link #mapUpdate} flag: insert only; {@code EEXIST} when the key is present. */
    long NOEXIST = 1;

    /** {@code BPF_MAP_CREATE}; returns the map's fd. */
    int mapCreate(BpfMapSpec spec);

    /**
     * {@code BPF_PROG_LOAD} of raw instructions (8 bytes each, native byte order).
     *
     * @return the program's fd
     * @throws BpfLoadException when the verifier refuses the program, with its log
     */
    int progLoad(int type, byte[] instructions, String license, String name);

    /** {@code BPF_MAP_LOOKUP_ELEM} into {@code value}; false when the key is absent. */
    boolean mapLookup(int mapFd, byte[] key, byte[] value);

    /** {@code BPF_MAP_UPDATE_ELEM} with {@link #ANY} or {@link #NOEXIST}. */
    void mapUpdate(int mapFd, byte[] key, byte[] value, long flags);

    /** {@code BPF_MAP_DELETE_ELEM}; false when the key was absent. */
    boolean mapDelete(int mapFd, byte[] key);

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}: the key after {@code key} (the first key when {@code key} is null) into
     * {@code next}; false at the end.
     */
    boolean mapNextKey(int mapFd, byte[] key, byte[] next);
}
