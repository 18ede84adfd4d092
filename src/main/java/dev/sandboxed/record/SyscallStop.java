package dev.sandboxed.record;

import dev.sandboxed.linux.SyscallInfo;
import dev.sandboxed.policy.FileAccess;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One seccomp stop of a supervised command, as a {@link StopObserver} sees it.
 */
public final class SyscallStop {

    private final int tid;
    private final String executable;
    private final String syscall;
    private final SyscallInfo info;
    private final SyscallRecorder recorder;
    private SortedMap<String, Set<FileAccess>> paths;

    SyscallStop(int tid, String executable, String syscall, SyscallInfo info, SyscallRecorder recorder) {
        this.tid = tid;
        this.executable = Objects.requireNonNull(executable, "executable");
        this.syscall = Objects.requireNonNull(syscall, "syscall");
        this.info = Objects.requireNonNull(info, "info");
        this.recorder = recorder;
    }

    public int tid() {
        return tid;
    }

    /** The program the calling thread runs, as {@code /proc/TID/exe} named it when it was first seen. */
    public String executable() {
        return executable;
    }

    /**
     * The call's name as the recorder names it: {@code openat}, or {@code i386:359} / {@code x32:socket} for
     * calls through another ABI.
     */
    public String syscall() {
        return syscall;
    }

    /** Architecture, number, arguments and instruction pointer, as the filter saw them. */
    public SyscallInfo info() {
        return info;
    }

    /**
     * The files the call names, absolute, with the access it asks for; empty for calls that name none. Read from
     * the tracee's memory on first use, which must therefore come before {@link StopObserver#atSeccompStop}
     * returns; later calls return the same answer.
     */
    public SortedMap<String, Set<FileAccess>> paths() {
        if (paths == null) {
            SortedMap<String, Set<FileAccess>> found = new TreeMap<>();
            recorder.paths(tid, syscall, info, (path, access) ->
                    found.computeIfAbsent(path, p -> EnumSet.noneOf(FileAccess.class)).add(access));
            found.replaceAll((path, access) -> Collections.unmodifiableSet(access));
            paths = Collections.unmodifiableSortedMap(found);
        }
        return paths;
    }
}
