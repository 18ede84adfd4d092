package dev.sandboxed.sandbox;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.FileAccess;
import dev.sandboxed.policy.InvalidPolicyException;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Run;
import dev.sandboxed.policy.SyscallUse;
import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilesystemRulesTest {

    @TempDir
    Path temp;

    @Test
    void aRecordingGrantsWhatItSawAndNothingMore() {
        SortedMap<String, SortedSet<FileAccess>> paths = new TreeMap<>();
        paths.put("/etc/hosts", new TreeSet<>(Set.of(FileAccess.READ)));
        paths.put("/data/out/result.txt", new TreeSet<>(Set.of(FileAccess.WRITE, FileAccess.CREATE)));
        paths.put("/data/out/old.txt", new TreeSet<>(Set.of(FileAccess.DELETE)));
        paths.put("/data/report.txt", new TreeSet<>(Set.of(FileAccess.WRITE)));
        paths.put("/proc/4711/stat", new TreeSet<>(Set.of(FileAccess.READ)));
        paths.put("/proc/self/coredump_filter", new TreeSet<>(Set.of(FileAccess.WRITE)));
        paths.put("/usr/bin/gzip", new TreeSet<>(Set.of(FileAccess.EXECUTE)));
        Component java = new Component("/usr/lib/jvm/jdk/bin/java", new TreeMap<>(Map.of("read", SyscallUse.counted(1))),
                paths, new TreeSet<>());
        FilesystemRules rules = FilesystemRules.fromRecording(Recording.of(new Run("app", 0, "", 1, false, "test"),
                Arch.X86_64, java));

        assertEquals(Set.of(Path.of("/etc/hosts")), rules.read());
        assertEquals(Set.of(Path.of("/data/out"), Path.of("/data/out/result.txt"), Path.of("/data/report.txt"),
                Path.of("/proc/self/coredump_filter")), rules.readWrite());
        assertEquals(Set.of(Path.of("/usr/bin/gzip"), Path.of("/usr/lib/jvm/jdk/bin/java")), rules.execute());
        assertEquals(Set.of(Path.of("/usr/lib/jvm/jdk")), FilesystemRules.javaHomes(
                Recording.of(new Run("app", 0, "", 1, false, "test"), Arch.X86_64, java)));
    }

    @Test
    void accessIsJudgedByTheRightList() {
        FilesystemRules rules = new FilesystemRules(new TreeSet<>(Set.of(Path.of("/etc"))),
                new TreeSet<>(Set.of(Path.of("/data/out"))), new TreeSet<>(Set.of(Path.of("/usr/bin/gzip"))));
        assertTrue(rules.allows(Path.of("/etc/passwd"), FileAccess.READ));
        assertFalse(rules.allows(Path.of("/etc/passwd"), FileAccess.WRITE));
        assertTrue(rules.allows(Path.of("/data/out/x/y"), FileAccess.CREATE));
        assertTrue(rules.allows(Path.of("/data/out/../out/y"), FileAccess.READ));
        assertFalse(rules.allows(Path.of("/data/outside"), FileAccess.READ), "a rule covers a directory, not a prefix");
        assertTrue(rules.allows(Path.of("/usr/bin/gzip"), FileAccess.EXECUTE));
        assertTrue(rules.allows(Path.of("/usr/bin/gzip"), FileAccess.READ));
        assertFalse(rules.allows(Path.of("/usr/bin/sh"), FileAccess.EXECUTE));
        assertFalse(rules.allows(Path.of("/etc/passwd"), FileAccess.EXECUTE));
    }

    @Test
    void landlockGetsRealExistingMinimalPathsAndEachProgramsInterpreter() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path file = Files.writeString(data.resolve("input.txt"), "x");
        Path link = Files.createSymbolicLink(temp.resolve("link.txt"), Path.of("elsewhere/real.txt"));
        Files.createDirectories(temp.resolve("elsewhere"));
        Path target = Files.writeString(temp.resolve("elsewhere/real.txt"), "y");
        Path script = Files.writeString(temp.resolve("tool"), "#!/bin/sh\necho\n");
        FilesystemRules rules = new FilesystemRules(
                new TreeSet<>(Set.of(data, file, link, temp.resolve("gone"))),
                new TreeSet<>(Set.of(data.resolve("out-not-yet-there"))),
                new TreeSet<>(Set.of(Path.of("/bin/true"), script))).forLandlock();

        assertEquals(Set.of(data.toRealPath(), target.toRealPath()), rules.read(),
                "the file beneath the directory is dropped, the link becomes its target, the missing path goes");
        assertEquals(Set.of(), rules.readWrite());
        Path loader = Interpreters.of(Path.of("/bin/true")).orElseThrow().toRealPath();
        assertTrue(rules.execute().contains(loader), rules.execute() + " holds the dynamic loader " + loader);
        assertTrue(rules.execute().contains(Path.of("/bin/sh").toRealPath()), "the script's interpreter");
        assertTrue(rules.execute().contains(script.toRealPath()));
    }

    @Test
    void withoutARecordingTheCommandImpliesTheRules() throws IOException {
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        Path java = home.resolve("bin").resolve("java");
        // Outside /tmp, which every JVM may write.
        Path project = Files.createDirectories(OutsideTmp.directory("filesystem-rules-command"));
        Path jar = Files.writeString(project.resolve("app.jar"), "not really");
        Path input = Files.createDirectories(project.resolve("input"));
        FilesystemRules rules = FilesystemRules.forCommand(java, List.of("-cp", jar + ":missing.jar", "Main",
                "--in", "input", "--verbose"), project, false);
        assertTrue(rules.allows(java, FileAccess.EXECUTE), "the command's program runs");
        assertTrue(rules.allows(home.resolve("lib").resolve("modules"), FileAccess.READ), "its Java runtime is read");
        assertTrue(rules.allows(jar, FileAccess.READ), "a class path entry is read");
        assertTrue(rules.allows(input.resolve("a.edf"), FileAccess.READ), "so is a relative argument naming a file");
        assertFalse(rules.allows(jar, FileAccess.WRITE), "but not written");
        assertTrue(rules.allows(project.resolve("pom.xml"), FileAccess.READ), "the working directory is read");
        assertFalse(rules.allows(project.resolve("pom.xml"), FileAccess.WRITE), "not written");
        assertFalse(rules.allows(Path.of("/bin/sh"), FileAccess.EXECUTE), "no other program runs");
        assertFalse(rules.allows(home.resolve("lib").resolve("jspawnhelper"), FileAccess.EXECUTE),
                "nor the JDK's helper for starting programs");
        assertFalse(rules.allows(Path.of("/etc/shadow"), FileAccess.READ));
        assertFalse(rules.allows(Path.of("/home"), FileAccess.WRITE));
        assertTrue(rules.allows(Path.of("/proc/self/coredump_filter"), FileAccess.WRITE), "HotSpot writes it");
        assertTrue(rules.allows(Path.of("/usr/lib/libexample.so.1"), FileAccess.READ), "shared libraries");
        try (var links = Files.walk(home)) {
            for (Path link : links.filter(Files::isSymbolicLink).toList()) {
                if (Files.exists(link)) {
                    assertTrue(rules.allows(link.toRealPath(), FileAccess.READ), "where the runtime's " + link + " leads");
                }
            }
        }
        FilesystemRules spawning = FilesystemRules.forCommand(java, List.of(), project, true);
        assertTrue(spawning.allows(home.resolve("lib").resolve("jspawnhelper"), FileAccess.EXECUTE),
                "an application that starts programs starts them through jspawnhelper");
    }

    @Test
    void landlockKeepsProcSelfForTheLauncherToResolve() {
        FilesystemRules rules = FilesystemRules.none().withReadWrite(List.of(Path.of("/proc/self/coredump_filter")))
                .forLandlock();
        assertEquals(Set.of(Path.of("/proc/self/coredump_filter")), rules.readWrite(),
                "resolved here it would name the build's JVM, not the command");
    }

    @Test
    void theFileRoundTripsByteForByte() {
        FilesystemRules rules = FilesystemRules.runtimeNeeds(List.of(Path.of("/usr/lib/jvm/jdk")))
                .withExecute(List.of(Path.of("/usr/bin/gzip")));
        Path file = temp.resolve("filesystem.json");
        rules.write(file);
        assertEquals(rules, FilesystemRules.read(file));
        String text = rules.toJson();
        assertTrue(text.startsWith("{\n  \"execute\": [\n    \"/usr/bin/gzip\"\n  ],\n"), text);
        assertEquals(text, FilesystemRules.read(file).toJson());
    }

    @Test
    void aBadFileIsRefusedWithItsNameAndWhatToFix() throws IOException {
        Path relative = Files.writeString(temp.resolve("a.json"), "{\"schemaVersion\": 1, \"read\": [\"etc\"]}");
        InvalidPolicyException notAbsolute = assertThrows(InvalidPolicyException.class,
                () -> FilesystemRules.read(relative));
        assertTrue(notAbsolute.getMessage().startsWith(relative + ": \"read\" holds \"etc\", which is not an absolute"),
                notAbsolute.getMessage());
        Path unknown = Files.writeString(temp.resolve("b.json"), "{\"schemaVersion\": 1, \"write\": []}");
        assertTrue(assertThrows(InvalidPolicyException.class, () -> FilesystemRules.read(unknown)).getMessage()
                .contains("unknown key \"write\"; expected read, readWrite, execute"));
        Path newer = Files.writeString(temp.resolve("c.json"), "{\"schemaVersion\": 2}");
        assertTrue(assertThrows(InvalidPolicyException.class, () -> FilesystemRules.read(newer)).getMessage()
                .contains("upgrade"));
        Path broken = Files.writeString(temp.resolve("d.json"), "{\"schemaVersion\": 1,\n \"read\": [}");
        assertTrue(assertThrows(InvalidPolicyException.class, () -> FilesystemRules.read(broken)).getMessage()
                .startsWith(broken + ":2:"));
    }
}
