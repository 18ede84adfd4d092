package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingFormatTest {

    private static final Path FILE = Path.of("target/sandbox/recording.json");

    @Test
    void roundTripsAndIsDeterministic() {
        Recording recording = Recordings.javaApp();
        String text = RecordingFormat.write(recording);
        Recording read = RecordingFormat.parse(FILE, text);
        assertEquals(recording, read);
        assertEquals(text, RecordingFormat.write(read));
        assertTrue(text.startsWith("{\n  \"components\": {\n    \"x86_64\": {\n      \"/bin/sh\": {\n"), text);
        assertTrue(text.contains("\n          {\"arg0\": [1, 10], \"calls\": 4, \"name\": \"socket\", \"runs\": 2}\n"), text);
        assertTrue(text.contains("\n          {\"access\": [\"write\", \"create\"], \"path\": \"/tmp/out\"}\n"), text);
        assertTrue(text.contains("{\"backend\": \"ptrace\", \"command\": \"java -jar app.jar --fast\", \"exitStatus\": 143, "
                + "\"interrupted\": true, \"signal\": \"SIGTERM\", \"wallMillis\": 800}"), text);
        assertTrue(text.endsWith("  \"schemaVersion\": 1\n}\n"), text);
    }

    @Test
    void mergedRecordingsRoundTripToo() {
        Recording merged = Recordings.javaApp().merge(Recordings.javaApp());
        assertEquals(4, merged.runCount());
        assertEquals(merged, RecordingFormat.parse(FILE, RecordingFormat.write(merged)));
        assertEquals(2468L, merged.components().get(Arch.X86_64).get("/usr/bin/java").syscalls().get("read").count());
    }

    @Test
    void extremeArgumentValuesSurvive() {
        Component component = Recordings.component("/a", Map.of("ioctl",
                Recordings.use(1, 1, Map.of(1, Set.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE, 0L)))));
        Recording recording = Recording.of(new Run("a", 0, "", 1, false, "ebpf"), Arch.AARCH64, component);
        assertEquals(recording, RecordingFormat.parse(FILE, RecordingFormat.write(recording)));
        assertEquals(Recording.empty(), RecordingFormat.parse(FILE, RecordingFormat.write(Recording.empty())));
    }

    @Test
    void writesAtomicallyThroughPolicyFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("target/sandbox/recording.json");
        PolicyFiles.writeRecording(file, Recordings.javaApp());
        assertEquals(Recordings.javaApp(), PolicyFiles.readRecording(file));
        assertEquals(RecordingFormat.write(Recordings.javaApp()), Files.readString(file));
    }

    @Test
    void malformedInputNamesFileLineAndColumn() {
        assertBad("{\n  \"schemaVersion\": 1,\n  \"runs\": [\n    {\"command\": \"x\" \"exitStatus\": 0}\n", "4:21", "malformed JSON");
        assertBad("{\"schemaVersion\": 1, \"runs\": [], \"components\": {\n  \"x86\": {}}}", "2:3",
                "unknown architecture \"x86\"");
        assertBad("{\"schemaVersion\": 1, \"runs\": [], \"components\": {\"x86_64\": {\"/a\": {\"syscalls\": [\n"
                + "  {\"name\": \"read\", \"calls\": 1, \"runs\": 1, \"arg6\": [1]}], \"paths\": [], \"addresses\": []}}}}",
                "2:43", "unknown key \"arg6\" in a syscall entry; did you mean \"arg0\"?");
        assertBad("{\"schemaVersion\": 7, \"runs\": [], \"components\": {}}", "1:2", "schema version 7 is newer");
        assertBad("{\"schemaVersion\": 1, \"runs\": [], \"components\": {}, \"schemaVersion\": 1}", "1:52", "duplicate key");
        assertBad("", "", "the file is empty");
        assertBad("[1, 2]", "1:1", "expected a recording as a JSON object");
        assertBad("{\"schemaVersion\": 1, \"runs\": [], \"components\": {}} []", "1:52", "unexpected content after the end");
    }

    @Test
    void aMissingFileIsOneMessage() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> RecordingFormat.read(Path.of("no/such/recording.json")));
        assertEquals("no/such/recording.json: file not found", e.getMessage());
    }

    private static void assertBad(String text, String lineColumn, String message) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> RecordingFormat.parse(FILE, text));
        String prefix = lineColumn.isEmpty() ? FILE + ": " : FILE + ":" + lineColumn + ": ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void componentsAreKeptApartPerArchitecture() {
        Recording recording = new Recording(List.of(), new TreeMap<>(Map.of(
                Arch.AARCH64, new TreeMap<>(Map.of("/a", Recordings.component("/a", Map.of()))),
                Arch.X86_64, new TreeMap<>(Map.of("/a", Recordings.component("/a", Map.of()))))));
        assertEquals(recording, RecordingFormat.parse(FILE, RecordingFormat.write(recording)));
    }
}
