package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sandboxed.process.CommandNotFoundException;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/** The real Docker engine for tests, and the small images and profiles they run. */
final class TestEngine {

    /** Shared by the test classes so runtimes made with jlink are made once per checkout. */
    static final Path CACHE = Path.of("target", "sandbox-test-cache").toAbsolutePath();

    private TestEngine() {
    }

    /** The engine, or the test is skipped with the reason printed. */
    static DockerCli requireDocker() {
        DockerCli docker = DockerCli.create(ProcessRunner.create());
        EngineStatus status = docker.probe(Duration.ofSeconds(10));
        if (!status.available()) {
            System.out.println("Skipping Docker tests: " + status.reason());
        }
        assumeTrue(status.available(), status.reason());
        return docker;
    }

    /**
     * Read access to the kernel log, which seccomp records and pids-limit refusals are read from; without it
     * (an unprivileged CI container) the test is skipped with the reason printed.
     */
    static void requireKernelLog() {
        try (FileChannel ignored = FileChannel.open(KernelEventCollector.KERNEL_LOG, StandardOpenOption.READ)) {
            return;
        } catch (IOException e) {
            String reason = "cannot read " + KernelEventCollector.KERNEL_LOG + ": " + e;
            System.out.println("Skipping: " + reason);
            Assumptions.abort(reason);
        }
    }

    /** The docker CLI, or the test is skipped with the reason printed. */
    static void requireCli() {
        try {
            ProcessRunner.locate("docker");
        } catch (CommandNotFoundException e) {
            System.out.println("Skipping: " + e.getMessage());
            Assumptions.abort(e.getMessage());
        }
    }

    static AppImageAssembler assembler(DockerCli docker) {
        return AppImageAssembler.create(docker, ProcessRunner.create(), CACHE);
    }

    /** dash as {@code /bin/sh} and coreutils' {@code sleep}, with their libraries and nothing else. */
    static AppImage shellImage(DockerCli docker) {
        return assembler(docker).assemble(AppImageSpec.executablesOnly(List.of("/bin/sh", "sleep")));
    }

    /**
     * A Docker seccomp profile that allows every syscall this architecture has except {@code special}, whose
     * calls get the given action, and answers unknown ones with {@code defaultAction}.
     */
    static Path profile(Path directory, String defaultAction, Map<String, String> special, boolean logFlag)
            throws IOException {
        Arch arch = Arch.current().orElseThrow();
        String allowed = SyscallTable.of(arch).names().stream()
                .filter(name -> !special.containsKey(name))
                .map(name -> "\"" + name + "\"")
                .collect(Collectors.joining(","));
        StringBuilder json = new StringBuilder("{\"defaultAction\":\"" + defaultAction + "\"");
        if (logFlag) {
            json.append(",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]");
        }
        json.append(",\"architectures\":[\"").append(arch.dockerName()).append("\"],\"syscalls\":[");
        json.append("{\"names\":[").append(allowed).append("],\"action\":\"SCMP_ACT_ALLOW\"}");
        special.forEach((name, action) -> json.append(",{\"names\":[\"").append(name).append("\"],\"action\":\"")
                .append(action).append("\"").append(action.equals("SCMP_ACT_ERRNO") ? ",\"errnoRet\":1" : "")
                .append("}"));
        json.append("]}\n");
        Files.createDirectories(directory);
        return Files.writeString(directory.resolve("seccomp-" + Integer.toHexString(json.toString().hashCode())
                + ".json"), json);
    }
}
