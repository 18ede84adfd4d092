package dev.sandboxed.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Launcher} does before it executes the command. The parent builds these with {@link #builder()} and
 * {@link #toArguments()}; the launcher parses them back with {@link #parse(List)}, so the two sides cannot
 * disagree on the syntax.
 *
 * @param handshake the tracer's pipe pair: the launcher writes its thread id to the first, waits for "go" on the
 *     second, and is seized by the tracer in between
 * @param traceSeccomp after the handshake, install {@link SeccompPrograms#traceEverything()} on this thread
 * @param noNewPrivs set {@code PR_SET_NO_NEW_PRIVS} (required for an unprivileged seccomp filter or Landlock)
 * @param seccompFilter a file of raw little-endian {@code struct sock_filter}s, installed as the very last step,
 *     immediately before the exec (see {@link LinuxLibC#execveUnderFilter})
 * @param seccompLog install the filter with {@code SECCOMP_FILTER_FLAG_LOG}, so the kernel logs every call it
 *     does not allow, not only kills
 * @param cgroup a cgroup directory the launcher moves itself into first, so the command and everything it starts
 *     count against that cgroup's limits from the first instruction on
 * @param landlockRead paths (beneath which) the command may read
 * @param landlockWrite paths the command may read and change
 * @param landlockExecute paths the command may execute and read
 * @param environment variables to set (or override) in the command's environment
 * @param command the program and its arguments, after {@code --}
 */
public record LauncherOptions(Optional<Handshake> handshake, boolean traceSeccomp, boolean noNewPrivs,
                              Optional<Path> seccompFilter, boolean seccompLog, Optional<Path> cgroup,
                              List<Path> landlockRead, List<Path> landlockWrite, List<Path> landlockExecute,
                              Map<String, String> environment, List<String> command) {

    /** File descriptor numbers of the tracer handshake, as seen by the launcher. */
    public record Handshake(int readyFd, int goFd) {
    }

    public LauncherOptions {
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(seccompFilter, "seccompFilter");
        Objects.requireNonNull(cgroup, "cgroup");
        landlockRead = List.copyOf(landlockRead);
        landlockWrite = List.copyOf(landlockWrite);
        landlockExecute = List.copyOf(landlockExecute);
        environment = Map.copyOf(new LinkedHashMap<>(environment));
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command: pass it after --");
        }
        if (seccompLog && seccompFilter.isEmpty()) {
            throw new IllegalArgumentException("--seccomp-log needs --seccomp FILE: it is a flag of that filter");
        }
        if (traceSeccomp && handshake.isEmpty()) {
            throw new IllegalArgumentException("--trace-seccomp needs --ptrace-handshake: without a tracer every "
                    + "syscall would fail with ENOSYS");
        }
    }

    public boolean usesLandlock() {
        return !landlockRead.isEmpty() || !landlockWrite.isEmpty() || !landlockExecute.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses the launcher's command line; throws {@link IllegalArgumentException} naming the bad option. */
    public static LauncherOptions parse(List<String> args) {
        Builder builder = new Builder();
        int i = 0;
        while (i < args.size()) {
            String option = args.get(i);
            if (option.equals("--")) {
                builder.command(args.subList(i + 1, args.size()));
                return builder.build();
            }
            switch (option) {
                case "--trace-seccomp" -> builder.traceSeccomp();
                case "--no-new-privs" -> builder.noNewPrivs();
                case "--seccomp-log" -> builder.seccompLog();
                default -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(option.startsWith("--")
                                ? "option " + option + " is unknown or needs a value"
                                : "unexpected argument " + option + ": put the command after --");
                    }
                    String value = args.get(++i);
                    switch (option) {
                        case "--ptrace-handshake" -> builder.handshake(parseHandshake(value));
                        case "--seccomp" -> builder.seccompFilter(Path.of(value));
                        case "--cgroup" -> builder.cgroup(Path.of(value));
                        case "--landlock-read" -> builder.landlockRead(Path.of(value));
                        case "--landlock-write" -> builder.landlockWrite(Path.of(value));
                        case "--landlock-exec" -> builder.landlockExecute(Path.of(value));
                        case "--env" -> {
                            int eq = value.indexOf('=');
                            if (eq <= 0) {
                                throw new IllegalArgumentException("--env wants NAME=VALUE, got " + value);
                            }
                            builder.environment(value.substring(0, eq), value.substring(eq + 1));
                        }
                        default -> throw new IllegalArgumentException("unknown option " + option);
                    }
                }
            }
            i++;
        }
        throw new IllegalArgumentException("no command: pass it after --");
    }

    private static Handshake parseHandshake(String value) {
        String[] parts = value.split(",");
        try {
            if (parts.length == 2) {
                return new Handshake(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--ptrace-handshake wants READY_FD,GO_FD, got " + value);
    }

    /** The command line {@link #parse(List)} turns back into these options. */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        handshake.ifPresent(h -> {
            args.add("--ptrace-handshake");
            args.add(h.readyFd() + "," + h.goFd());
        });
        if (traceSeccomp) {
            args.add("--trace-seccomp");
        }
        if (noNewPrivs) {
            args.add("--no-new-privs");
        }
        seccompFilter.ifPresent(f -> {
            args.add("--seccomp");
            args.add(f.toString());
        });
        if (seccompLog) {
            args.add("--seccomp-log");
        }
        cgroup.ifPresent(c -> {
            args.add("--cgroup");
            args.add(c.toString());
        });
        landlockRead.forEach(p -> args.addAll(List.of("--landlock-read", p.toString())));
        landlockWrite.forEach(p -> args.addAll(List.of("--landlock-write", p.toString())));
        landlockExecute.forEach(p -> args.addAll(List.of("--landlock-exec", p.toString())));
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> args.addAll(List.of("--env", e.getKey() + "=" + e.getValue())));
        args.add("--");
        args.addAll(command);
        return args;
    }

    public static final class Builder {
        private Optional<Handshake> handshake = Optional.empty();
        private boolean traceSeccomp;
        private boolean noNewPrivs;
        private Optional<Path> seccompFilter = Optional.empty();
        private boolean seccompLog;
        private Optional<Path> cgroup = Optional.empty();
        private final List<Path> landlockRead = new ArrayList<>();
        private final List<Path> landlockWrite = new ArrayList<>();
        private final List<Path> landlockExecute = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private List<String> command = List.of();

        private Builder() {
        }

        public Builder handshake(Handshake value) {
            handshake = Optional.of(value);
            return this;
        }

        public Builder traceSeccomp() {
            traceSeccomp = true;
            return this;
        }

        public Builder noNewPrivs() {
            noNewPrivs = true;
            return this;
        }

        public Builder seccompFilter(Path file) {
            seccompFilter = Optional.of(file);
            return this;
        }

        public Builder seccompLog() {
            seccompLog = true;
            return this;
        }

        public Builder cgroup(Path directory) {
            cgroup = Optional.of(directory);
            return this;
        }

        public Builder landlockRead(Path path) {
            landlockRead.add(path);
            return this;
        }

        public Builder landlockWrite(Path path) {
            landlockWrite.add(path);
            return this;
        }

        public Builder landlockExecute(Path path) {
            landlockExecute.add(path);
            return this;
        }

        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder command(List<String> value) {
            command = List.copyOf(value);
            return this;
        }

        public LauncherOptions build() {
            return new LauncherOptions(handshake, traceSeccomp, noNewPrivs, seccompFilter, seccompLog, cgroup,
                    landlockRead, landlockWrite, landlockExecute, environment, command);
        }
    }
}
