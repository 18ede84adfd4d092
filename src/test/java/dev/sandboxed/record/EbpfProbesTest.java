package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EbpfProbesTest {

    private static final Linux LINUX = Linux.load();

    @Test
    void programsLoadAttachAndDetachWithoutLeakingFds() throws IOException {
        EbpfAvailability.assumeAvailable();
        try (EbpfProbes probes = EbpfProbes.attach(LINUX)) {
            assertTrue(probes.tracked().isEmpty());
        }
        long before = openFds();
        for (int i = 0; i < 50; i++) {
            try (EbpfProbes probes = EbpfProbes.attach(LINUX)) {
                probes.track(LINUX.libc().getpid());
                assertEquals(1, probes.tracked().size());
            }
        }
        assertEquals(before, openFds(), "fds open before and after 50 sessions");
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
