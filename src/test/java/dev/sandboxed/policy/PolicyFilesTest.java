package dev.sandboxed.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFilesTest {

    @Test
    void readsEachFormatByItsContent(@TempDir Path dir) throws IOException {
        Path ours = dir.resolve("a.json");
        Files.writeString(ours, PolicyFormatTest.CANONICAL);
        LoadedPolicy policy = PolicyFiles.read(ours);
        assertEquals(FileFormat.SANDBOX, policy.format());

        Policy generated = PolicyGenerator.generate(Recordings.javaApp(), PolicyGenerator.Options.defaults()).policy();
        Path docker = dir.resolve("b.json");
        Files.writeString(docker, DockerProfile.write(generated));
        LoadedPolicy imported = PolicyFiles.read(docker);
        assertEquals(FileFormat.DOCKER, imported.format());
        assertEquals(generated.defaultAction(), imported.policy().defaultAction());
        Decisions.assertSame(generated, imported.policy());

        Path recording = dir.resolve("c.json");
        PolicyFiles.writeRecording(recording, Recordings.javaApp());
        LoadedPolicy fromRecording = PolicyFiles.read(recording);
        assertEquals(FileFormat.RECORDING, fromRecording.format());
        assertEquals(generated, fromRecording.policy());
        assertTrue(fromRecording.warnings().stream().allMatch(w -> w.startsWith(recording + ": ")),
                fromRecording.warnings().toString());
    }

    @Test
    void dockerImportsTakeTheCapabilitySet(@TempDir Path dir) throws IOException {
        Path docker = SharedCorpus.file("docker-default.json");
        LoadedPolicy admin = PolicyFiles.read(docker, Set.of("CAP_SYS_ADMIN"), PolicyGenerator.Options.defaults());
        assertEquals(DockerProfile.read(docker, Set.of("CAP_SYS_ADMIN")), admin);
    }

    @Test
    void writesEveryFormatAtomicallyAndDeterministically(@TempDir Path dir) throws IOException {
        Policy policy = PolicyFormat.parse(Path.of("p.json"), PolicyFormatTest.CANONICAL).policy();
        Path file = dir.resolve("src/main/sandbox/policy.json");
        PolicyFiles.write(file, policy);
        assertEquals(PolicyFormatTest.CANONICAL, Files.readString(file));
        PolicyFiles.write(file, policy);
        assertEquals(PolicyFormatTest.CANONICAL, Files.readString(file));
        Policy generated = PolicyGenerator.generate(Recordings.javaApp(), PolicyGenerator.Options.defaults()).policy();
        Path docker = dir.resolve("target/sandbox/docker-seccomp.json");
        PolicyFiles.writeDocker(docker, generated);
        assertEquals(DockerProfile.write(generated), Files.readString(docker));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void unknownFilesGetOneClearMessage(@TempDir Path dir) throws IOException {
        Path other = dir.resolve("package.json");
        Files.writeString(other, "{\n  \"name\": \"app\"\n}\n");
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyFiles.read(other));
        assertEquals(other + ":1:1: neither a policy (it has no \"rules\"), a Docker profile (no \"syscalls\") nor a "
                + "recording (no \"runs\")", e.getMessage());

        Path yaml = dir.resolve("profile.yaml");
        Files.writeString(yaml, "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n");
        e = assertThrows(InvalidPolicyException.class, () -> PolicyFiles.read(yaml));
        assertTrue(e.getMessage().startsWith(yaml + ": this is a Kubernetes SeccompProfile"), e.getMessage());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"rules\": [\n    {\"syscall\": \"read\"\n  ]\n}\n");
        e = assertThrows(InvalidPolicyException.class, () -> PolicyFiles.read(broken));
        assertTrue(e.getMessage().startsWith(broken + ":4:3: malformed JSON: "), e.getMessage());

        e = assertThrows(InvalidPolicyException.class, () -> PolicyFiles.read(dir.resolve("missing.json")));
        assertEquals(dir.resolve("missing.json") + ": file not found", e.getMessage());
    }
}
