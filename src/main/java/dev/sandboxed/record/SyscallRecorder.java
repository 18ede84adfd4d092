package dev.sandboxed.record;

import dev.sandboxed.linux.OpenFlags;
import dev.sandboxed.linux.SyscallInfo;
import dev.sandboxed.policy.FileAccess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Turns one syscall stop into facts of a {@link ComponentBuilder}: the name, the arguments a policy can
 * condition on, the files and socket addresses touched. Reads the tracee (strings, structs, {@code /proc}
 * links) only for the calls that need it, as this runs at every stop.
 */
final class SyscallRecorder {

    private static final long PROT_EXEC = 4;
    private static final long INT_MASK = 0xffffffffL;

    private final SyscallNames names;
    private final TraceeMemory memory;

    SyscallRecorder(SyscallNames names, TraceeMemory memory) {
        this.names = names;
        this.memory = memory;
    }

    /** The call's name, as {@link SyscallNames} gives it. */
    String name(SyscallInfo info) {
        return names.name(info.auditArch(), info.nr());
    }

    void record(int tid, ComponentBuilder component, SyscallInfo info) {
        long nr = info.nr();
        String name = names.name(info.auditArch(), nr);
        component.count(name);
        if (!names.isNative(info.auditArch(), nr)) {
            return;
        }
        switch (name) {
            case "socket", "socketpair" -> {
                component.argument(name, 0, info.arg(0) & INT_MASK);
                component.argument(name, 1, info.arg(1) & INT_MASK);
                component.argument(name, 2, info.arg(2) & INT_MASK);
            }
            case "clone" -> component.argument(name, 0, info.arg(0));
            case "clone3" -> memory.u64(tid, info.arg(0)).ifPresent(flags -> component.argument(name, 0, flags));
            case "ioctl", "fcntl", "kill", "tkill", "rt_sigqueueinfo", "pidfd_send_signal" ->
                    component.argument(name, 1, info.arg(1) & INT_MASK);
            case "prctl", "personality" -> component.argument(name, 0, info.arg(0) & INT_MASK);
            case "tgkill", "rt_tgsigqueueinfo" -> component.argument(name, 2, info.arg(2) & INT_MASK);
            case "mmap", "mprotect", "pkey_mprotect" -> {
                if ((info.arg(2) & PROT_EXEC) != 0) {
                    component.argument(name, 2, info.arg(2) & INT_MASK);
                }
            }
            case "connect", "bind" -> {
                int length = (int) Math.min(info.arg(2) & INT_MASK, SocketAddresses.MAX_LENGTH);
                byte[] raw = memory.bytes(tid, info.arg(1), length);
                if (raw.length > 0) {
                    component.address(name + " " + SocketAddresses.render(raw, raw.length));
                }
            }
            default -> paths(tid, name, info, component::path);
        }
    }

    /**
     * The files a call names, with the access it asks for, handed to {@code sink}; nothing for calls that name no
     * file. Reads the tracee, so it must run while the tracee is stopped at the call's entry.
     */
    void paths(int tid, String name, SyscallInfo info, BiConsumer<String, FileAccess> sink) {
        if (!names.isNative(info.auditArch(), info.nr())) {
            return;
        }
        switch (name) {
            case "open" -> opened(tid, sink, OpenFlags.AT_FDCWD, info.arg(0), info.arg(1));
            case "openat" -> opened(tid, sink, (int) info.arg(0), info.arg(1), info.arg(2));
            case "openat2" -> memory.u64(tid, info.arg(2))
                    .ifPresent(flags -> opened(tid, sink, (int) info.arg(0), info.arg(1), flags));
            case "creat" -> {
                path(tid, OpenFlags.AT_FDCWD, info.arg(0), false).ifPresent(p -> {
                    sink.accept(p, FileAccess.WRITE);
                    sink.accept(p, FileAccess.CREATE);
                });
            }
            case "execve" -> access(tid, sink, OpenFlags.AT_FDCWD, info.arg(0), false, FileAccess.EXECUTE);
            case "execveat" -> access(tid, sink, (int) info.arg(0), info.arg(1),
                    (info.arg(4) & OpenFlags.AT_EMPTY_PATH) != 0, FileAccess.EXECUTE);
            case "unlink", "rmdir" -> access(tid, sink, OpenFlags.AT_FDCWD, info.arg(0), false, FileAccess.DELETE);
            case "unlinkat" -> access(tid, sink, (int) info.arg(0), info.arg(1), false, FileAccess.DELETE);
            case "rename" -> {
                access(tid, sink, OpenFlags.AT_FDCWD, info.arg(0), false, FileAccess.DELETE);
                access(tid, sink, OpenFlags.AT_FDCWD, info.arg(1), false, FileAccess.CREATE);
            }
            case "renameat", "renameat2" -> {
                access(tid, sink, (int) info.arg(0), info.arg(1), false, FileAccess.DELETE);
                access(tid, sink, (int) info.arg(2), info.arg(3), false, FileAccess.CREATE);
            }
            case "mkdir" -> access(tid, sink, OpenFlags.AT_FDCWD, info.arg(0), false, FileAccess.CREATE);
            case "mkdirat" -> access(tid, sink, (int) info.arg(0), info.arg(1), false, FileAccess.CREATE);
            default -> {
            }
        }
    }

    /**
     * An open records the access its flags ask for. {@code O_PATH} opens are skipped: they grant no access to
     * the file's contents, and Landlock does not check them either.
     */
    private void opened(int tid, BiConsumer<String, FileAccess> sink, int dirfd, long pathAddress, long flags) {
        if ((flags & OpenFlags.O_PATH) != 0) {
            return;
        }
        Optional<String> path = path(tid, dirfd, pathAddress, false);
        if (path.isEmpty()) {
            return;
        }
        String p = path.get();
        int mode = (int) (flags & OpenFlags.O_ACCMODE);
        if (mode == OpenFlags.O_RDONLY || mode == OpenFlags.O_RDWR) {
            sink.accept(p, FileAccess.READ);
        }
        if (mode == OpenFlags.O_WRONLY || mode == OpenFlags.O_RDWR || (flags & OpenFlags.O_TRUNC) != 0) {
            sink.accept(p, FileAccess.WRITE);
        }
        if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_TMPFILE_BIT)) != 0) {
            sink.accept(p, FileAccess.CREATE);
        }
    }

    private void access(int tid, BiConsumer<String, FileAccess> sink, int dirfd, long pathAddress,
                        boolean emptyPathIsFd, FileAccess access) {
        path(tid, dirfd, pathAddress, emptyPathIsFd).ifPresent(p -> sink.accept(p, access));
    }

    /**
     * The absolute, lexically normalised form of a path argument: relative paths are resolved against the
     * directory the tracee meant, its working directory or the directory open as {@code dirfd}, read from
     * {@code /proc} while the tracee is stopped.
     */
    Optional<String> path(int tid, int dirfd, long pathAddress, boolean emptyPathIsFd) {
        Optional<String> raw = memory.string(tid, pathAddress);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String path = raw.get();
        if (path.startsWith("/")) {
            return Optional.of(normalise(path));
        }
        if (path.isEmpty() && !emptyPathIsFd) {
            return Optional.empty();
        }
        String link = dirfd == OpenFlags.AT_FDCWD ? "cwd" : "fd/" + dirfd;
        try {
            Path base = Files.readSymbolicLink(Path.of("/proc", Integer.toString(tid), link));
            if (!base.isAbsolute()) {
                return Optional.empty();
            }
            return Optional.of(normalise(path.isEmpty() ? base.toString() : base.resolve(path).toString()));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static String normalise(String path) {
        try {
            return Path.of(path).normalize().toString();
        } catch (InvalidPathException e) {
            return path;
        }
    }
}
