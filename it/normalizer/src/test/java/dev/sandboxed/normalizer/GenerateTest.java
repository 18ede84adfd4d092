package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateTest {
    @TempDir
    Path dir;

    @Test
    void writesAValidEdfPlusWithPhysionetStyleLabelsAndMixedUnits() throws IOException {
        Path file = dir.resolve("g.edf");
        Cli.Result result = Cli.run("generate", "--out", file.toString(), "--channels", "6", "--seconds", "9",
                "--rate", "128", "--seed", "5");
        assertEquals(0, result.code(), result.err());

        Recording recording = Recording.read(file);
        EdfHeader header = recording.header();
        assertEquals("EDF+C", header.reserved());
        assertEquals(9, header.dataRecords());
        assertEquals(7, header.signals().size());
        assertEquals("Fc5.", header.signals().get(0).label());
        assertEquals("Fcz.", header.signals().get(3).label());
        assertEquals("uV", header.signals().get(0).physicalDimension());
        assertEquals("mV", header.signals().get(3).physicalDimension());
        assertEquals(128, header.signals().get(0).samplesPerRecord());
        assertTrue(header.signals().get(6).isAnnotations());
        assertEquals(3, recording.events().size(), "one event every 4 s: at 0, 4 and 8 s");
        assertEquals("T2", recording.events().get(2).text());
        assertEquals(Files.size(file), header.fileBytes());
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        Path a = dir.resolve("a.edf");
        Path b = dir.resolve("b.edf");
        Path c = dir.resolve("c.edf");
        assertEquals(0, Generate.run(new String[] {"--out", a.toString(), "--channels", "3", "--seconds", "4",
            "--rate", "100", "--seed", "42"}, System.out, System.err));
        assertEquals(0, Generate.run(new String[] {"--out", b.toString(), "--channels", "3", "--seconds", "4",
            "--rate", "100", "--seed", "42"}, System.out, System.err));
        assertEquals(0, Generate.run(new String[] {"--out", c.toString(), "--channels", "3", "--seconds", "4",
            "--rate", "100", "--seed", "43"}, System.out, System.err));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void missingOptionIsAUsageError() {
        Cli.Result result = Cli.run("generate", "--out", dir.resolve("x.edf").toString(), "--channels", "3",
                "--seconds", "4");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("option --rate is required"), result.err());
        assertFalse(Files.exists(dir.resolve("x.edf")));
    }
}
