package dev.sandboxed.sandbox;

import dev.sandboxed.policy.Policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One application run for the native runtime.
 *
 * @param command the program and its arguments
 * @param workingDirectory where it runs
 * @param environment its complete environment
 * @param timeout how long it may run before its whole tree is killed
 * @param policy the policy to enforce
 * @param weights how often each syscall was recorded, for the compiled program's layout; may be empty
 * @param filesystem the filesystem rules, or empty to leave the filesystem unconfined
 * @param pidsLimit at most this many tasks (processes and threads) in the run's cgroup
 * @param workDirectory where the run's compiled filters are written
 * @param logFile a file that also receives the application's output
 */
public record NativeSpec(List<String> command, Path workingDirectory, Map<String, String> environment,
                         Duration timeout, Policy policy, Map<String, Long> weights,
                         Optional<FilesystemRules> filesystem, int pidsLimit, Path workDirectory,
                         Optional<Path> logFile) {

    public NativeSpec {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        Objects.requireNonNull(policy, "policy");
        weights = Map.copyOf(Objects.requireNonNull(weights, "weights"));
        Objects.requireNonNull(filesystem, "filesystem");
        if (pidsLimit < 1) {
            throw new IllegalArgumentException("pids limit must be positive, got " + pidsLimit);
        }
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(logFile, "logFile");
    }
}
