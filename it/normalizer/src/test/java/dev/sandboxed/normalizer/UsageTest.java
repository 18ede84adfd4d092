package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageTest {
    @TempDir
    Path dir;

    private void assertUsageError(String expected, String... args) {
        Cli.Result result = Cli.run(args);
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(expected), "expected '" + expected + "' in: " + result.err());
        assertTrue(result.err().contains(Options.USAGE), "usage text on stderr");
    }

    @Test
    void badCommandLines() throws IOException {
        Path in = dir.resolve("rec.edf");
        TestEdf.small(in);
        String out = dir.resolve("out").toString();
        assertUsageError("option --in is required");
        assertUsageError("option --out is required", "--in", in.toString());
        assertUsageError("unknown option --colour", "--in", in.toString(), "--out", out, "--colour", "red");
        assertUsageError("option --scale takes zscore, minmax or none, not 'l2'", "--in", in.toString(), "--out", out,
                "--scale", "l2");
        assertUsageError("option --threads must be between 1 and 256, not 0", "--in", in.toString(), "--out", out,
                "--threads", "0");
        assertUsageError("option --format takes edf or csv, not 'xml'", "--in", in.toString(), "--out", out,
                "--format", "xml");
        assertUsageError("option --rate must be above 0 Hz", "--in", in.toString(), "--out", out, "--rate", "-1");
        assertUsageError("option --unit takes uV", "--in", in.toString(), "--out", out, "--unit", "mV");
        assertUsageError("option --labels takes 1020", "--in", in.toString(), "--out", out, "--labels", "1010");
        assertUsageError("option --rate is given twice", "--in", in.toString(), "--out", out, "--rate", "1",
                "--rate", "2");
        assertUsageError("option --out needs a value", "--in", in.toString(), "--out");
        assertUsageError("does not exist", "--in", dir.resolve("missing.edf").toString(), "--out", out);
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertUsageError("is a directory without .edf files", "--in", empty.toString(), "--out", out);
        assertEquals(false, Files.exists(dir.resolve("out")));
    }

    @Test
    void refusesToOverwriteItsInput() throws IOException {
        Path in = dir.resolve("rec.edf");
        TestEdf.small(in);
        assertUsageError("would overwrite its input", "--in", in.toString(), "--out", dir.toString());
    }

    @Test
    void helpGoesToStdout() {
        Cli.Result result = Cli.run("--help");
        assertEquals(0, result.code());
        assertEquals(Options.USAGE + System.lineSeparator(), result.out());
    }

    @Test
    void normalizeSubcommandIsTheDefault() throws IOException {
        Path in = dir.resolve("rec.edf");
        TestEdf.small(in);
        Cli.Result result = Cli.run("normalize", "--in", in.toString(), "--out", dir.resolve("o").toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(Files.exists(dir.resolve("o").resolve("rec.edf")));
    }
}
