package dev.sandboxed.linux;

/**
 * Landlock's filesystem access rights and the ABI version each appeared in. The handled set of a ruleset must
 * only name rights the running kernel knows, so {@link #fsAccessForAbi(int)} is the one place that maps an ABI
 * version to the rights it supports.
 */
public final class Landlock {

    public static final int CREATE_RULESET_VERSION = 1;
    public static final int RULE_PATH_BENEATH = 1;

    public static final long ACCESS_FS_EXECUTE = 1L;
    public static final long ACCESS_FS_WRITE_FILE = 1L << 1;
    public static final long ACCESS_FS_READ_FILE = 1L << 2;
    public static final long ACCESS_FS_READ_DIR = 1L << 3;
    public static final long ACCESS_FS_REMOVE_DIR = 1L << 4;
    public static final long ACCESS_FS_REMOVE_FILE = 1L << 5;
    public static final long ACCESS_FS_MAKE_CHAR = 1L << 6;
    public static final long ACCESS_FS_MAKE_DIR = 1L << 7;
    public static final long ACCESS_FS_MAKE_REG = 1L << 8;
    public static final long ACCESS_FS_MAKE_SOCK = 1L << 9;
    public static final long ACCESS_FS_MAKE_FIFO = 1L << 10;
    public static final long ACCESS_FS_MAKE_BLOCK = 1L << 11;
    public static final long ACCESS_FS_MAKE_SYM = 1L << 12;
    /** ABI 2: linking or renaming a file across directories. */
    public static final long ACCESS_FS_REFER = 1L << 13;
    /** ABI 3. */
    public static final long ACCESS_FS_TRUNCATE = 1L << 14;
    /** ABI 5: ioctl on device files. */
    public static final long ACCESS_FS_IOCTL_DEV = 1L << 15;

    /** The rights that apply to a file itself; a rule on a non-directory may grant only these. */
    public static final long FILE_RIGHTS = ACCESS_FS_EXECUTE | ACCESS_FS_WRITE_FILE | ACCESS_FS_READ_FILE
            | ACCESS_FS_TRUNCATE | ACCESS_FS_IOCTL_DEV;

    /** Reading files and listing directories. */
    public static final long READ = ACCESS_FS_READ_FILE | ACCESS_FS_READ_DIR;
    /** Everything that changes the tree beneath a directory, plus reading it. */
    public static final long READ_WRITE = READ | ACCESS_FS_WRITE_FILE | ACCESS_FS_REMOVE_DIR
            | ACCESS_FS_REMOVE_FILE | ACCESS_FS_MAKE_CHAR | ACCESS_FS_MAKE_DIR | ACCESS_FS_MAKE_REG
            | ACCESS_FS_MAKE_SOCK | ACCESS_FS_MAKE_FIFO | ACCESS_FS_MAKE_BLOCK | ACCESS_FS_MAKE_SYM
            | ACCESS_FS_REFER | ACCESS_FS_TRUNCATE | ACCESS_FS_IOCTL_DEV;
    /** Executing files, plus reading them (the loader maps them). */
    public static final long EXECUTE = READ | ACCESS_FS_EXECUTE;

    private Landlock() {
    }

    /** Every filesystem right a kernel with this Landlock ABI version can enforce; 0 for no Landlock. */
    public static long fsAccessForAbi(int abi) {
        if (abi < 1) {
            return 0;
        }
        long rights = (ACCESS_FS_MAKE_SYM << 1) - 1;
        if (abi >= 2) {
            rights |= ACCESS_FS_REFER;
        }
        if (abi >= 3) {
            rights |= ACCESS_FS_TRUNCATE;
        }
        if (abi >= 5) {
            rights |= ACCESS_FS_IOCTL_DEV;
        }
        return rights;
    }
}
