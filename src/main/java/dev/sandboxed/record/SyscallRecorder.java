package dev.sandboxed.record;

import dev.sandboxed.linux.OpenFlags;
import dev.sandboxed.linux.SyscallInfo;
import dev.sandboxed.policy.FileAccess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Turns one syscall stop into facts of a {@link ComponentBuilder}: the name, the arguments a policy can
 * condition on, the files and socket addresses touched. Reads the tracee (strings, structs, {@code /proc}
 * links) only for the calls that need it, as this runs at every stop.
 */
final class SyscallRecorder {

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
        for (CallFacts.Deciding deciding : CallFacts.deciding(name)) {
            value(tid, info, deciding).ifPresent(value -> component.argument(name, deciding.index(), value));
        }
        if (CallFacts.namesAddress(name)) {
            int length = (int) Math.min(info.arg(2) & INT_MASK, SocketAddresses.MAX_LENGTH);
            byte[] raw = memory.bytes(tid, info.arg(1), length);
            if (raw.length > 0) {
                component.address(name + " " + SocketAddresses.render(raw, raw.length));
            }
        }
        paths(tid, name, info, component::path);
    }

    private OptionalLong value(int tid, SyscallInfo info, CallFacts.Deciding deciding) {
        long register = info.arg(deciding.index());
        return switch (deciding.source()) {
            case INT -> OptionalLong.of(register & INT_MASK);
            case LONG -> OptionalLong.of(register);
            case INT_WITH_PROT_EXEC -> (register & CallFacts.PROT_EXEC) != 0 ? OptionalLong.of(register & INT_MASK)
                    : OptionalLong.empty();
            case POINTED_U64 -> memory.u64(tid, register);
        };
    }

    /**
     * The files a call names, with the access it asks for, handed to {@code sink}; nothing for calls that name no
     * file. Reads the tracee, so it must run while the tracee is stopped at the call's entry.
     */
    void paths(int tid, String name, SyscallInfo info, BiConsumer<String, FileAccess> sink) {
        if (!names.isNative(info.auditArch(), info.nr())) {
            return;
        }
        for (CallFacts.PathArgument argument : CallFacts.paths(name)) {
            OptionalLong flags = argument.flagsIndex() < 0 ? OptionalLong.of(0)
                    : argument.flagsPointed() ? memory.u64(tid, info.arg(argument.flagsIndex()))
                    : OptionalLong.of(info.arg(argument.flagsIndex()));
            if (flags.isEmpty()) {
                continue;
            }
            Set<FileAccess> accesses = argument.accesses(flags.getAsLong());
            if (accesses.isEmpty()) {
                continue;
            }
            int dirfd = argument.dirfdIndex() < 0 ? OpenFlags.AT_FDCWD : (int) info.arg(argument.dirfdIndex());
            path(tid, dirfd, info.arg(argument.pathIndex()), argument.emptyPathIsFd(flags.getAsLong()))
                    .ifPresent(p -> accesses.forEach(access -> sink.accept(p, access)));
        }
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

    static String normalise(String path) {
        try {
            return Path.of(path).normalize().toString();
        } catch (InvalidPathException e) {
            return path;
        }
    }
}
