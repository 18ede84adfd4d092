package dev.sandboxed.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Everything {@link ProcessRunner} needs to start one external program and route what it prints. Immutable: each
 * {@code with...} method returns a copy, so a base command (say, {@code docker} with its timeout and log sink) can
 * be shared and specialised safely.
 */
public final class Command {

    private static final Consumer<String> DISCARD = line -> { };

    private final List<String> arguments;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final Consumer<String> stdout;
    private final Consumer<String> stderr;
    private final Path logFile;
    private final Path stdin;
    private final boolean captureStdout;
    private final boolean inheritEnvironment;
    private final boolean inheritIo;

    private Command(List<String> arguments, Path workingDirectory, Map<String, String> environment, Duration timeout,
                    Consumer<String> stdout, Consumer<String> stderr, Path logFile, Path stdin, boolean captureStdout,
                    boolean inheritEnvironment, boolean inheritIo) {
        this.arguments = arguments;
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        this.timeout = timeout;
        this.stdout = stdout;
        this.stderr = stderr;
        this.logFile = logFile;
        this.stdin = stdin;
        this.captureStdout = captureStdout;
        this.inheritEnvironment = inheritEnvironment;
        this.inheritIo = inheritIo;
    }

    /** A command with no output routing and a one-minute timeout; the first argument is the program. */
    public static Command of(List<String> arguments) {
        Objects.requireNonNull(arguments, "arguments");
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program to run");
        }
        for (int i = 0; i < arguments.size(); i++) {
            Objects.requireNonNull(arguments.get(i), "arguments[" + i + "]");
        }
        if (arguments.get(0).isEmpty()) {
            throw new IllegalArgumentException("the program name is empty");
        }
        return new Command(List.copyOf(arguments), null, Map.of(), Duration.ofMinutes(1),
                DISCARD, DISCARD, null, null, false, true, false);
    }

    public static Command of(String program, String... arguments) {
        Objects.requireNonNull(program, "program");
        ArrayList<String> all = new ArrayList<>();
        all.add(program);
        all.addAll(List.of(arguments));
        return of(all);
    }

    /** The same command with more arguments appended. */
    public Command withArguments(List<String> more) {
        ArrayList<String> all = new ArrayList<>(arguments);
        all.addAll(Objects.requireNonNull(more, "more"));
        return new Command(List.copyOf(all), workingDirectory, environment, timeout, stdout, stderr, logFile, stdin,
                captureStdout, inheritEnvironment, inheritIo);
    }

    public Command withWorkingDirectory(Path directory) {
        return new Command(arguments, Objects.requireNonNull(directory, "directory"), environment, timeout, stdout,
                stderr, logFile, stdin, captureStdout, inheritEnvironment, inheritIo);
    }

    /** Variables set on top of this JVM's environment; the rest of the environment is inherited. */
    public Command withEnvironment(Map<String, String> variables) {
        Map<String, String> merged = new TreeMap<>(environment);
        Objects.requireNonNull(variables, "variables").forEach((name, value) ->
                merged.put(Objects.requireNonNull(name, "variable name"), Objects.requireNonNull(value, name)));
        return new Command(arguments, workingDirectory, Collections.unmodifiableMap(merged), timeout, stdout, stderr,
                logFile, stdin, captureStdout, inheritEnvironment, inheritIo);
    }

    /**
     * The program gets exactly these variables and inherits none from this JVM: for a program whose environment
     * must not carry this JVM's settings (a launcher JVM that must not pick up {@code JAVA_TOOL_OPTIONS}).
     */
    public Command withExactEnvironment(Map<String, String> variables) {
        Map<String, String> exact = new TreeMap<>();
        Objects.requireNonNull(variables, "variables").forEach((name, value) ->
                exact.put(Objects.requireNonNull(name, "variable name"), Objects.requireNonNull(value, name)));
        return new Command(arguments, workingDirectory, Collections.unmodifiableMap(exact), timeout, stdout, stderr,
                logFile, stdin, captureStdout, false, inheritIo);
    }

    public Command withTimeout(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + limit);
        }
        return new Command(arguments, workingDirectory, environment, limit, stdout, stderr, logFile, stdin,
                captureStdout, inheritEnvironment, inheritIo);
    }

    /** Receives each line the program writes to standard output, as soon as the line is complete. */
    public Command withStdout(Consumer<String> lines) {
        return new Command(arguments, workingDirectory, environment, timeout, Objects.requireNonNull(lines, "lines"),
                stderr, logFile, stdin, captureStdout, inheritEnvironment, inheritIo);
    }

    /** Receives each line the program writes to standard error, as soon as the line is complete. */
    public Command withStderr(Consumer<String> lines) {
        return new Command(arguments, workingDirectory, environment, timeout, stdout,
                Objects.requireNonNull(lines, "lines"), logFile, stdin, captureStdout, inheritEnvironment, inheritIo);
    }

    /** Also appends both streams, line by line, to this file (created or truncated). */
    public Command withLogFile(Path file) {
        return new Command(arguments, workingDirectory, environment, timeout, stdout, stderr,
                Objects.requireNonNull(file, "file"), stdin, captureStdout, inheritEnvironment, inheritIo);
    }

    /** Feeds this file to the program's standard input instead of an empty stream. */
    public Command withStdin(Path file) {
        return new Command(arguments, workingDirectory, environment, timeout, stdout, stderr, logFile,
                Objects.requireNonNull(file, "file"), captureStdout, inheritEnvironment, inheritIo);
    }

    /** Keeps the whole standard output in the result, for commands whose output is their answer. */
    public Command capturingStdout() {
        return new Command(arguments, workingDirectory, environment, timeout, stdout, stderr, logFile, stdin, true,
                inheritEnvironment, inheritIo);
    }

    public List<String> arguments() {
        return arguments;
    }

    public String program() {
        return arguments.get(0);
    }

    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Duration timeout() {
        return timeout;
    }

    Consumer<String> stdout() {
        return stdout;
    }

    Consumer<String> stderr() {
        return stderr;
    }

    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    public Optional<Path> stdin() {
        return Optional.ofNullable(stdin);
    }

    /**
     * The program shares this JVM's standard input, output and error instead of having them read line by line: for
     * a program that talks a protocol over them with whoever started this JVM, as a forked test JVM does with its
     * build tool. Output consumers, the log file and {@link #withStdin} then have no effect.
     */
    public Command inheritingIo() {
        return new Command(arguments, workingDirectory, environment, timeout, stdout, stderr, logFile, stdin,
                captureStdout, inheritEnvironment, true);
    }

    public boolean inheritsIo() {
        return inheritIo;
    }

    public boolean capturesStdout() {
        return captureStdout;
    }

    /** False after {@link #withExactEnvironment}: the program then sees {@link #environment()} alone. */
    public boolean inheritsEnvironment() {
        return inheritEnvironment;
    }

    /** The command line as a person would type it, for messages. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        for (String argument : arguments) {
            if (line.length() > 0) {
                line.append(' ');
            }
            boolean plain = !argument.isEmpty() && argument.chars().allMatch(c -> Character.isLetterOrDigit(c)
                    || "-_./:=,@%+".indexOf(c) >= 0);
            line.append(plain ? argument : "'" + argument.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }
}
