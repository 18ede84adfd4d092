package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records are streamed: a recording several times larger than the heap normalizes, z-score's two passes and
 * resampling included. Runs the normalizer in a child JVM whose heap is capped well below the file size.
 */
class StreamingMemoryTest {
    private static final String HEAP = "-Xmx16m";

    @TempDir
    Path dir;

    @Test
    void fileLargerThanTheHeapNormalizes() throws IOException, InterruptedException {
        Path in = dir.resolve("big.edf");
        SyntheticRecording.write(in, 64, 1600, 256, 3);
        long size = Files.size(in);
        assertTrue(size > 3 * 16 * 1024 * 1024, "file of " + size + " bytes must dwarf the " + HEAP + " heap");

        Cli.Result result = Cli.fork(List.of(HEAP), Map.of(), "--in", in.toString(), "--out",
                dir.resolve("out").toString(), "--labels", "1020", "--unit", "uV", "--rate", "128", "--scale",
                "zscore", "--threads", "2");

        assertEquals(0, result.code(), result.err());
        try (EdfReader output = EdfReader.open(dir.resolve("out").resolve("big.edf"))) {
            assertEquals(1600, output.header().dataRecords());
            assertEquals(128, output.header().signals().get(0).samplesPerRecord());
        }
    }
}
