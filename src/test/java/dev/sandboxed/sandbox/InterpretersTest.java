package dev.sandboxed.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterpretersTest {

    @Test
    void aDynamicProgramNamesItsLoaderAsLddDoes() throws IOException {
        Path loader = Interpreters.of(Path.of("/bin/true")).orElseThrow();
        assertTrue(Files.isRegularFile(loader), loader + " exists");
        assertTrue(loader.getFileName().toString().startsWith("ld-linux"), loader.toString());
    }

    @Test
    void aScriptNamesItsInterpreterAndOtherFilesNothing(@TempDir Path temp) throws IOException {
        Path script = Files.writeString(temp.resolve("run"), "#!/usr/bin/env python3\nprint()\n");
        assertEquals(Optional.of(Path.of("/usr/bin/env")), Interpreters.of(script));
        assertEquals(Optional.empty(), Interpreters.of(Files.writeString(temp.resolve("text"), "plain")));
        assertEquals(Optional.empty(), Interpreters.of(temp.resolve("missing")));
    }
}
