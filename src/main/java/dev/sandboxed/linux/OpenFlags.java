package dev.sandboxed.linux;

/**
 * The {@code open(2)} flags whose values are the same on x86_64 and aarch64. ({@code O_DIRECTORY},
 * {@code O_NOFOLLOW} and {@code O_DIRECT} differ between them and are deliberately absent.)
 */
public final class OpenFlags {

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    /** The bit that, together with {@code O_DIRECTORY}, makes {@code O_TMPFILE}. */
    public static final int O_TMPFILE_BIT = 020000000;

    /** {@code AT_FDCWD}: a dirfd argument meaning "relative to the working directory". */
    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_REMOVEDIR = 0x200;

    private OpenFlags() {
    }
}
