package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerCliTest {

    @TempDir
    Path temp;

    @Test
    void aMissingCliIsAReasonNotACrash() {
        EngineStatus status = DockerCli.create(ProcessRunner.create()).withExecutable("no-such-docker-cli")
                .probe(Duration.ofSeconds(5));
        assertFalse(status.available());
        assertTrue(status.reason().contains("docker CLI is not installed")
                && status.reason().contains("command not found: no-such-docker-cli"), status.reason());
    }

    @Test
    void anEngineThatDoesNotAnswerIsExplained() {
        TestEngine.requireCli();
        EngineStatus status = DockerCli.create(ProcessRunner.create())
                .withHost("unix://" + temp.resolve("no-engine.sock"))
                .probe(Duration.ofSeconds(10));
        assertFalse(status.available());
        assertTrue(status.reason().startsWith("the Docker engine is not answering")
                && status.reason().contains("no-engine.sock"), status.reason());
    }

    @Test
    void theSeccompFlagsSupportFollowsTheEngineVersion() {
        assertFalse(EngineStatus.answering("20.10.24+dfsg1").passesSeccompFlags());
        assertTrue(EngineStatus.answering("23.0.1").passesSeccompFlags());
        assertTrue(EngineStatus.answering("28.2.2").passesSeccompFlags());
        assertFalse(EngineStatus.unavailable("down").passesSeccompFlags());
    }

    @Test
    void loadsASavedImage() {
        DockerCli docker = TestEngine.requireDocker();
        AppImage shell = TestEngine.shellImage(docker);
        Path archive = temp.resolve("shell.tar");
        ProcessRunner.create().run(Command.of("docker", "save", "--output", archive.toString(), shell.tag()))
                .requireSuccess();
        assertEquals(List.of(shell.tag()), docker.loadImage(archive));
    }

    @Test
    void imagesAndContainersRoundTripThroughTheRealEngine() {
        DockerCli docker = TestEngine.requireDocker();
        AppImage shell = TestEngine.shellImage(docker);
        assertTrue(docker.imageExists(shell.tag()));
        assertFalse(docker.imageExists(AppImageAssembler.REPOSITORY + ":no-such-tag"));
        assertTrue(docker.imageSize(shell.tag()) > 100_000);

        String id = docker.createContainer(List.of("--network", "none"), shell.tag(), List.of("/bin/sh", "-c", "exit 4"));
        try {
            assertEquals(64, id.length(), "full id: " + id);
            assertEquals("created", docker.inspectContainer(id).status());
            docker.startAttached(id, Duration.ofSeconds(30), line -> { }, line -> { }, Optional.empty());
            ContainerState state = docker.inspectContainer(id);
            assertEquals(new ContainerState("exited", 4, false, ""), state);
        } finally {
            docker.removeContainer(id);
        }
        docker.removeContainer(id);
        DockerException gone = assertThrows(DockerException.class, () -> docker.inspectContainer(id));
        assertTrue(gone.getMessage().contains(id), gone.getMessage());
    }
}
