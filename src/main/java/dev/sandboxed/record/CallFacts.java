package dev.sandboxed.record;

import dev.sandboxed.linux.OpenFlags;
import dev.sandboxed.policy.FileAccess;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which facts of a call a recording keeps beyond its name: the argument that decides a risky call's danger, the
 * paths a call names and the access it asks for, the socket address it names. One description for both recorders:
 * the ptrace recorder reads these at a stop, the eBPF recorder compiles them into its {@code sys_enter} program,
 * so the two cannot drift apart.
 */
final class CallFacts {

    /** {@code PROT_EXEC}, the same on every architecture the project knows. */
    static final long PROT_EXEC = 4;

    /** Where a deciding argument's value comes from. */
    enum Source {
        /** The register, as a 32-bit {@code int}. */
        INT,
        /** The whole 64-bit register. */
        LONG,
        /** The register as an {@code int}, kept only when it has {@link #PROT_EXEC}. */
        INT_WITH_PROT_EXEC,
        /** The 64-bit word the register points to ({@code clone3}'s {@code struct clone_args.flags}). */
        POINTED_U64
    }

    /** An argument whose distinct values a policy can condition on. */
    record Deciding(int index, Source source) {
    }

    /** What a path argument's call does to the file. */
    enum Access {
        /** As the open flags say: read, write, create; nothing for {@code O_PATH}. */
        OPEN,
        WRITE_AND_CREATE,
        EXECUTE,
        DELETE,
        CREATE
    }

    /**
     * A path a call names.
     *
     * @param dirfdIndex the argument holding the directory fd a relative path is resolved against; -1 when the
     *     call always resolves against the working directory
     * @param pathIndex the argument pointing to the path string
     * @param flagsIndex the argument holding the flags ({@code open}'s, or {@code execveat}'s {@code AT_*}), -1 when
     *     none matter
     * @param flagsPointed the flags are the 64-bit word the argument points to ({@code openat2}'s
     *     {@code struct open_how})
     * @param access what the call does to the file
     */
    record PathArgument(int dirfdIndex, int pathIndex, int flagsIndex, boolean flagsPointed, Access access) {

        /** The accesses the call asks for, given its flags (0 when it has none); empty when it grants none. */
        Set<FileAccess> accesses(long flags) {
            return switch (access) {
                case OPEN -> openAccess(flags);
                case WRITE_AND_CREATE -> EnumSet.of(FileAccess.WRITE, FileAccess.CREATE);
                case EXECUTE -> EnumSet.of(FileAccess.EXECUTE);
                case DELETE -> EnumSet.of(FileAccess.DELETE);
                case CREATE -> EnumSet.of(FileAccess.CREATE);
            };
        }

        /** {@code execveat} with {@code AT_EMPTY_PATH} executes the fd itself when the path is empty. */
        boolean emptyPathIsFd(long flags) {
            return access == Access.EXECUTE && flagsIndex >= 0 && (flags & OpenFlags.AT_EMPTY_PATH) != 0;
        }
    }

    private static final int NONE = -1;

    private CallFacts() {
    }

    /** The deciding arguments of {@code name}, a native call; empty for calls no policy conditions on. */
    static List<Deciding> deciding(String name) {
        return switch (name) {
            case "socket", "socketpair" -> List.of(new Deciding(0, Source.INT), new Deciding(1, Source.INT),
                    new Deciding(2, Source.INT));
            case "clone" -> List.of(new Deciding(0, Source.LONG));
            case "clone3" -> List.of(new Deciding(0, Source.POINTED_U64));
            case "ioctl", "fcntl", "kill", "tkill", "rt_sigqueueinfo", "pidfd_send_signal" ->
                    List.of(new Deciding(1, Source.INT));
            case "prctl", "personality" -> List.of(new Deciding(0, Source.INT));
            case "tgkill", "rt_tgsigqueueinfo" -> List.of(new Deciding(2, Source.INT));
            case "mmap", "mprotect", "pkey_mprotect" -> List.of(new Deciding(2, Source.INT_WITH_PROT_EXEC));
            default -> List.of();
        };
    }

    /**
     * Whether {@code name} names a socket address: the {@code struct sockaddr} pointer is argument 1, its length
     * argument 2.
     */
    static boolean namesAddress(String name) {
        return name.equals("connect") || name.equals("bind");
    }

    /** The paths {@code name}, a native call, names, in argument order; empty for calls naming no file. */
    static List<PathArgument> paths(String name) {
        return switch (name) {
            case "open" -> List.of(new PathArgument(NONE, 0, 1, false, Access.OPEN));
            case "openat" -> List.of(new PathArgument(0, 1, 2, false, Access.OPEN));
            case "openat2" -> List.of(new PathArgument(0, 1, 2, true, Access.OPEN));
            case "creat" -> List.of(new PathArgument(NONE, 0, NONE, false, Access.WRITE_AND_CREATE));
            case "execve" -> List.of(new PathArgument(NONE, 0, NONE, false, Access.EXECUTE));
            case "execveat" -> List.of(new PathArgument(0, 1, 4, false, Access.EXECUTE));
            case "unlink", "rmdir" -> List.of(new PathArgument(NONE, 0, NONE, false, Access.DELETE));
            case "unlinkat" -> List.of(new PathArgument(0, 1, NONE, false, Access.DELETE));
            case "rename" -> List.of(new PathArgument(NONE, 0, NONE, false, Access.DELETE),
                    new PathArgument(NONE, 1, NONE, false, Access.CREATE));
            case "renameat", "renameat2" -> List.of(new PathArgument(0, 1, NONE, false, Access.DELETE),
                    new PathArgument(2, 3, NONE, false, Access.CREATE));
            case "mkdir" -> List.of(new PathArgument(NONE, 0, NONE, false, Access.CREATE));
            case "mkdirat" -> List.of(new PathArgument(0, 1, NONE, false, Access.CREATE));
            default -> List.of();
        };
    }

    /**
     * An open records the access its flags ask for. {@code O_PATH} opens are skipped: they grant no access to
     * the file's contents, and Landlock does not check them either.
     */
    static Set<FileAccess> openAccess(long flags) {
        Set<FileAccess> accesses = EnumSet.noneOf(FileAccess.class);
        if ((flags & OpenFlags.O_PATH) != 0) {
            return accesses;
        }
        int mode = (int) (flags & OpenFlags.O_ACCMODE);
        if (mode == OpenFlags.O_RDONLY || mode == OpenFlags.O_RDWR) {
            accesses.add(FileAccess.READ);
        }
        if (mode == OpenFlags.O_WRONLY || mode == OpenFlags.O_RDWR || (flags & OpenFlags.O_TRUNC) != 0) {
            accesses.add(FileAccess.WRITE);
        }
        if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_TMPFILE_BIT)) != 0) {
            accesses.add(FileAccess.CREATE);
        }
        return accesses;
    }
}
