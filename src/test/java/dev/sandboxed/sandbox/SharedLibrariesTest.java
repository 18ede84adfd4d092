package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxed.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedLibrariesTest {

    @Test
    void readsEveryFormOfLddLine() {
        String output = """
                /opt/jre/bin/java:
                \tlinux-vdso.so.1 (0x00007ffc)
                \tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f7e)
                \tlibjli.so => /opt/jre/bin/../lib/libjli.so (0x00007f7e)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007f7e)
                /opt/jre/lib/libjava.so:
                \tlibjvm.so => not found
                /usr/bin/gunzip:
                \tnot a dynamic executable
                """;
        SharedLibraries libraries = SharedLibraries.parse(output, null);
        assertEquals(Set.of(Path.of("/lib/x86_64-linux-gnu/libz.so.1"), Path.of("/opt/jre/lib/libjli.so"),
                Path.of("/lib64/ld-linux-x86-64.so.2")), libraries.found());
        assertEquals(Set.of("/opt/jre/lib/libjava.so: libjvm.so"), libraries.missing());
    }

    @Test
    void findsLibcAndTheLoaderOfTheHostShell() {
        SharedLibraries libraries = SharedLibraries.of(ProcessRunner.create(), List.of(Path.of("/bin/sh")));
        assertTrue(libraries.found().stream().anyMatch(path -> path.getFileName().toString().startsWith("libc.so")),
                libraries.toString());
        assertTrue(libraries.found().stream().anyMatch(path -> path.getFileName().toString().startsWith("ld-")),
                libraries.toString());
        assertTrue(libraries.missing().isEmpty(), libraries.toString());
    }
}
