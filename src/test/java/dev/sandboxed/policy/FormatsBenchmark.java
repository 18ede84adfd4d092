package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * How long the formats take on realistic inputs: Docker's default profile and a recording in which three programs
 * used every x86_64 syscall. Run after {@code mvn test-compile}:
 * <pre>{@code
 * java -cp target/classes:target/test-classes:$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *     dev.sandboxed.policy.FormatsBenchmark ../shared
 * }</pre>
 */
public final class FormatsBenchmark {

    private FormatsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        String dockerText = Files.readString(shared.resolve("corpus/docker-default.json"));
        Path file = Path.of("docker-default.json");
        Policy docker = DockerProfile.parse(file, dockerText, Set.of()).policy();
        String ours = PolicyFormat.write(docker);
        Recording everything = everySyscall();
        String recordingText = RecordingFormat.write(everything);
        Policy generated = PolicyGenerator.generate(everything, PolicyGenerator.Options.defaults()).policy();

        time("docker import (docker-default.json)", () -> DockerProfile.parse(file, dockerText, Set.of()));
        time("docker export", () -> DockerProfile.write(docker));
        time("policy write (docker-default, 2 arches)", () -> PolicyFormat.write(docker));
        time("policy read (docker-default, 2 arches)", () -> PolicyFormat.parse(file, ours));
        time("kubernetes export", () -> KubernetesProfile.write(docker, "docker-default"));
        time("recording read (" + recordingText.length() / 1024 + " KiB)", () -> RecordingFormat.parse(file, recordingText));
        time("generate from recording", () -> PolicyGenerator.generate(everything, PolicyGenerator.Options.defaults()));
        time("diff generated vs docker", () -> PolicyDiff.between(docker, generated).render());
    }

    private static Recording everySyscall() {
        SortedMap<String, Component> components = new TreeMap<>();
        for (String exe : List.of("/usr/bin/java", "/bin/sh", "/usr/bin/git")) {
            Map<String, SyscallUse> uses = new TreeMap<>();
            for (String name : SyscallTable.of(Arch.X86_64).names()) {
                uses.put(name, Recordings.use(1000, 3, Map.of(0, Set.of(1L, 2L, 10L), 1, Set.of(0x5401L, 0x5413L))));
            }
            components.put(exe, Recordings.component(exe, uses));
        }
        return new Recording(List.of(new Run("bench", 0, "", 1, false, "ptrace")), new TreeMap<>(Map.of(Arch.X86_64, components)));
    }

    private static void time(String what, Supplier<?> work) {
        for (int i = 0; i < 20; i++) {
            work.get();
        }
        int rounds = 50;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            work.get();
        }
        double millis = (System.nanoTime() - start) / 1e6 / rounds;
        System.out.printf("%-45s %8.2f ms%n", what, millis);
    }
}
