package dev.sandboxed.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a traced command.
 *
 * @param mode how syscalls are stopped at
 * @param pinToOneCpu run the tracer and the whole traced tree on one CPU; a ptrace stop costs far less when tracer
 *     and tracee share a CPU, but the traced program then sees a single processor (a JVM sizes its GC and
 *     compiler threads from that), so what it does may differ from an unpinned run
 * @param timeout kill the traced tree when it runs longer
 * @param workingDirectory the command's working directory
 * @param environment the command's complete environment
 * @param output where stdout and stderr lines go; empty to let the command inherit this process's streams (and
 *     its stdin), as a wrapper around a forked test JVM must
 * @param outputFile a file that also receives the raw output (only with {@code output})
 * @param supervision a filter of the caller's own instead of stopping at every call (only with
 *     {@link TracingMode#SECCOMP})
 */
public record RecordOptions(TracingMode mode, boolean pinToOneCpu, Optional<Duration> timeout, Path workingDirectory,
                            Map<String, String> environment, Optional<OutputLines> output, Optional<Path> outputFile,
                            Optional<Supervision> supervision) {

    public RecordOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(outputFile, "outputFile");
        Objects.requireNonNull(supervision, "supervision");
        if (supervision.isPresent() && mode != TracingMode.SECCOMP) {
            throw new IllegalArgumentException("supervision works through seccomp stops; it needs the seccomp mode");
        }
        if (outputFile.isPresent() && output.isEmpty()) {
            throw new IllegalArgumentException("an output file needs captured output; inherited streams cannot be copied");
        }
    }

    /** Seccomp-assisted, unpinned, no timeout, this process's directory and environment, inherited streams. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private TracingMode mode = TracingMode.SECCOMP;
        private boolean pinToOneCpu;
        private Optional<Duration> timeout = Optional.empty();
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        private Optional<OutputLines> output = Optional.empty();
        private Optional<Path> outputFile = Optional.empty();
        private Optional<Supervision> supervision = Optional.empty();

        private Builder() {
        }

        public Builder mode(TracingMode value) {
            mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        public Builder pinToOneCpu(boolean value) {
            pinToOneCpu = value;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = Optional.of(value);
            return this;
        }

        public Builder workingDirectory(Path value) {
            workingDirectory = value.toAbsolutePath();
            return this;
        }

        public Builder environment(Map<String, String> value) {
            environment = new LinkedHashMap<>(value);
            return this;
        }

        public Builder output(OutputLines value) {
            output = Optional.of(value);
            return this;
        }

        public Builder outputFile(Path value) {
            outputFile = Optional.of(value);
            return this;
        }

        public Builder supervision(Supervision value) {
            supervision = Optional.of(value);
            return this;
        }

        public RecordOptions build() {
            return new RecordOptions(mode, pinToOneCpu, timeout, workingDirectory, environment, output, outputFile,
                    supervision);
        }
    }
}
