package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxed.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppImageAssemblerTest {

    private static DockerCli docker;

    @TempDir
    Path temp;

    @BeforeAll
    static void engine() {
        docker = TestEngine.requireDocker();
    }

    @Test
    void assemblesARunnableImageOnceAndReusesItByContent() {
        Path classes = ProbeApplication.compile(TestEngine.CACHE.resolve("probe"));
        AppImageSpec spec = AppImageSpec.forCurrentJdk(List.of(classes)).withExtraExecutables(List.of("gzip"));
        AppImageAssembler assembler = TestEngine.assembler(docker);

        AppImage first = assembler.assemble(spec);
        AppImage second = assembler.assemble(spec);

        assertTrue(first.tag().startsWith(AppImageAssembler.REPOSITORY + ":"), first.tag());
        assertEquals(first.tag(), second.tag());
        assertTrue(second.reused(), "the second assembly finds the image by its content and imports nothing");
        assertTrue(docker.imageExists(second.tag()));
        assertEquals(Optional.of("/opt/java/bin/java"), second.javaExecutable());
        assertEquals(List.of("/app/classpath/000-classes"), second.classpath());
        System.out.printf("image %s: archive %d bytes, engine size %d bytes, first assembly %d ms, reuse %d ms%n",
                second.tag(), second.archiveBytes(), docker.imageSize(second.tag()),
                first.assemblyTime().toMillis(), second.assemblyTime().toMillis());

        List<String> out = new ArrayList<>();
        ContainerRun run = DockerSandbox.create(docker).run(ContainerSpec.of(second.tag(),
                second.javaCommand(List.of(), "Probe", List.of("gzip", "/tmp"))), out::add, out::add);
        assertEquals(RunOutcome.EXITED, run.outcome(), run.detail() + " " + out);
        assertEquals(List.of("gzip exited 0"), out, "java runs the class and finds gzip on PATH");
    }

    @Test
    void holdsTheRuntimeItsLibrariesAndTheLoaderButNoDistribution() {
        List<String> warnings = new ArrayList<>();
        SortedMap<String, RootFilesystem.Entry> entries = TestEngine.assembler(docker).rootFilesystem(
                AppImageSpec.forCurrentJdk(List.of()).withExtraExecutables(List.of("/bin/sh")), warnings::add)
                .entries();
        for (String required : List.of("/opt/java/bin/java", "/opt/java/lib/server/libjvm.so", "/opt/java/lib/modules",
                "/bin/sh", "/etc/passwd", "/etc/group", "/tmp", "/proc", "/dev", "/sys")) {
            assertTrue(entries.containsKey(required), required + " is in the image");
        }
        assertTrue(entries.keySet().stream().anyMatch(path -> path.matches("/lib.*/ld-linux.*\\.so\\.\\d")),
                "the dynamic loader is at the path PT_INTERP names");
        assertTrue(entries.keySet().stream().anyMatch(path -> path.matches("/.*/libc\\.so\\.6")), "libc is there");
        assertFalse(entries.containsKey("/usr/bin/ls"), "nothing the application did not ask for");
        assertEquals(01777, entries.get("/tmp").mode());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aChangedClassGivesANewTag() throws IOException {
        Path jar = Files.write(temp.resolve("app.jar"), new byte[] {1, 2, 3});
        AppImageSpec spec = AppImageSpec.forCurrentJdk(List.of(jar)).withModules(new TreeSet<>(
                List.of("java.base")));
        AppImageAssembler assembler = TestEngine.assembler(docker);
        String before = assembler.assemble(spec).tag();
        Files.write(jar, new byte[] {1, 2, 4});
        String after = assembler.assemble(spec).tag();
        assertNotEquals(before, after);
    }

    @Test
    void aMissingExtraExecutableIsNamed() {
        ImageAssemblyException missing = assertThrows(ImageAssemblyException.class, () -> TestEngine.assembler(docker)
                .assemble(AppImageSpec.executablesOnly(List.of("no-such-tool-anywhere"))));
        assertTrue(missing.getMessage().contains("extra executable no-such-tool-anywhere"), missing.getMessage());
    }

    @Test
    void aJreWithoutJlinkIsRejectedWithAWayOut() throws IOException {
        Path fakeHome = Files.createDirectories(temp.resolve("jre/bin"));
        Files.writeString(temp.resolve("jre/release"), "JAVA_VERSION=\"17\"\n");
        ImageAssemblyException missing = assertThrows(ImageAssemblyException.class, () ->
                AppImageAssembler.create(docker, ProcessRunner.create(), temp.resolve("cache"))
                        .assemble(AppImageSpec.java(fakeHome.getParent(), List.of()).withModules(
                                new TreeSet<>(List.of("java.base")))));
        assertTrue(missing.getMessage().contains("jlink") && missing.getMessage().contains("<image>"),
                missing.getMessage());
    }
}
