package dev.sandboxed.goals;

import dev.sandboxed.linux.Linux;
import dev.sandboxed.linux.UnsupportedArchitectureException;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyFiles;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.sandbox.FilesystemRules;
import dev.sandboxed.sandbox.NativeRun;
import dev.sandboxed.sandbox.NativeSandbox;
import dev.sandboxed.sandbox.NativeSpec;
import dev.sandboxed.sandbox.RunOutcome;
import dev.sandboxed.sandbox.Violations;
import dev.sandboxed.sandbox.ViolationsJson;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code java} that {@code sandbox:verify} puts in front of every forked test JVM (through
 * {@link TestJvmWrapper}): {@code VerifyTestJvm --policy FILE --filesystem FILE --violations DIR --pids N
 * --timeout SECONDS -- java args...}. It runs the real {@code java} under the native sandbox in enforce mode,
 * sharing this process's standard streams, over which the test JVM talks to Maven. A refused call gets the policy's
 * action inside the test that made it, so that test fails (or, under a kill action, the fork crashes and Maven names
 * the tests it was running); once the fork is done, every refused call is printed on standard error, which Maven
 * logs as errors right there, named with the program, the count and the policy line that would allow it, and
 * written to {@code violations-PID.json} in the violations directory. A fork the policy refused anything exits
 * non-zero even when every test passed, so a test that swallowed the refusal still fails the build.
 */
public final class VerifyTestJvm {

    /** Exit status of a fork that ended well but was refused something. */
    public static final int EXIT_VIOLATIONS = 86;
    /** Exit status when the sandbox could not run the fork at all. */
    public static final int EXIT_SANDBOX_FAILED = 125;
    static final String PREFIX = "[sandbox] ";

    private record Arguments(Path policy, Path filesystem, Path violations, int pidsLimit, Duration timeout,
                             List<String> command) {
    }

    private VerifyTestJvm() {
    }

    public static void main(String[] args) {
        int status = run(List.of(args), System.err);
        System.err.flush();
        System.exit(status);
    }

    static int run(List<String> args, PrintStream err) {
        Arguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            err.println(PREFIX + "usage: VerifyTestJvm --policy FILE --filesystem FILE --violations DIR --pids N"
                    + " --timeout SECONDS -- java args...");
            return EXIT_SANDBOX_FAILED;
        }
        try {
            Policy policy = PolicyFiles.read(arguments.policy()).policy();
            FilesystemRules rules = FilesystemRules.read(arguments.filesystem());
            Path work = Files.createTempDirectory(Files.createDirectories(arguments.violations()), "fork-");
            NativeSandbox sandbox = NativeSandbox.create(Linux.load(), ProcessRunner.create());
            NativeSpec spec = new NativeSpec(arguments.command(), Path.of("").toAbsolutePath(), System.getenv(),
                    arguments.timeout(), policy, Map.of(), Optional.of(rules), arguments.pidsLimit(), work,
                    Optional.empty());
            NativeRun run = sandbox.enforceWithInheritedIo(spec);
            run.notes().forEach(note -> err.println(PREFIX + note));
            return report(run, policy, arguments, err);
        } catch (InvalidPolicyException | UnsupportedArchitectureException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_SANDBOX_FAILED;
        } catch (IOException e) {
            err.println(PREFIX + "cannot prepare " + arguments.violations() + ": " + e.getMessage());
            return EXIT_SANDBOX_FAILED;
        } catch (UncheckedIOException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_SANDBOX_FAILED;
        }
    }

    private static int report(NativeRun run, Policy policy, Arguments arguments, PrintStream err) {
        if (run.outcome().inconclusive()) {
            err.println(PREFIX + "the test JVM did not run to its end under the sandbox: " + run.detail());
            return run.exitCode() > 0 ? run.exitCode() : EXIT_SANDBOX_FAILED;
        }
        // A fix for a file goes where verify looks for filesystem rules: next to the policy.
        Path rulesFile = arguments.policy().toAbsolutePath().getParent().resolve(FilesystemRules.FILE_NAME);
        Violations violations = VerifyReport.explained(run.violations(), policy, rulesFile,
                Optional.of(arguments.filesystem()));
        violations.warnings().forEach(warning -> err.println(PREFIX + warning));
        boolean stopped = run.outcome() == RunOutcome.KILLED_BY_SECCOMP || run.outcome() == RunOutcome.PIDS_LIMIT;
        if (violations.nothingRefused() && !stopped) {
            return run.exitCode();
        }
        Path file = arguments.violations().resolve("violations-" + ProcessHandle.current().pid() + ".json");
        ViolationsJson.write(violations, file);
        err.println(PREFIX + "The sandbox refused what this test JVM did (it " + run.detail() + "; policy "
                + arguments.policy() + "):");
        List<String> lines = VerifyReport.lines(violations);
        if (lines.isEmpty()) {
            lines = List.of("the call could not be named: the kernel log was not readable or dropped its record");
        }
        lines.forEach(line -> err.println(PREFIX + "  " + line));
        err.println(PREFIX + "The failing test above made the refused call; the same list is in " + file);
        return run.exitCode() == 0 ? EXIT_VIOLATIONS : run.exitCode();
    }

    private static Arguments parse(List<String> args) {
        Path policy = null;
        Path filesystem = null;
        Path violations = null;
        int pids = 0;
        Duration timeout = null;
        int i = 0;
        while (i < args.size() && !args.get(i).equals("--")) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.get(++i);
            try {
                switch (option) {
                    case "--policy" -> policy = Path.of(value);
                    case "--filesystem" -> filesystem = Path.of(value);
                    case "--violations" -> violations = Path.of(value);
                    case "--pids" -> pids = Integer.parseInt(value);
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " wants a whole number, got " + value);
            }
            i++;
        }
        if (policy == null || filesystem == null || violations == null || pids < 1 || timeout == null) {
            throw new IllegalArgumentException("--policy, --filesystem, --violations, --pids and --timeout are"
                    + " required");
        }
        if (i >= args.size() - 1) {
            throw new IllegalArgumentException("no command: pass the real java after --");
        }
        return new Arguments(policy, filesystem, violations, pids, timeout,
                new ArrayList<>(args.subList(i + 1, args.size())));
    }
}
