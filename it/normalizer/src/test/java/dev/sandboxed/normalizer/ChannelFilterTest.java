package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party channel filters, discovered through {@code META-INF/services} on the test class path
 * ({@link AddRateFilter}, {@link NegateFilter}).
 */
class ChannelFilterTest {
    private static final Pattern STATS = Pattern.compile("\"mean\": (\\S+),\\s*\"sd\": (\\S+),\\s*\"min\": (\\S+),"
            + "\\s*\"max\": (\\S+),");

    @TempDir
    Path dir;
    Path in;

    @BeforeEach
    void writeInput() throws IOException {
        in = dir.resolve("rec.edf");
        TestEdf.small(in);
    }

    /** Mean, sd, min and max of the first channel in the report of a run with {@code options}. */
    private double[] firstChannel(String run, String... options) throws IOException {
        Path out = dir.resolve(run);
        List<String> args = new ArrayList<>(List.of("--in", in.toString(), "--out", out.toString(), "--rate", "20"));
        args.addAll(List.of(options));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        Matcher stats = STATS.matcher(Files.readString(out.resolve("rec.report.json")));
        assertTrue(stats.find(), "the report has channel statistics");
        double[] values = new double[4];
        for (int i = 0; i < 4; i++) {
            values[i] = Double.parseDouble(stats.group(i + 1));
        }
        return values;
    }

    @Test
    void appliesTheChosenFiltersInOrderAtTheOutputRate() throws IOException {
        double[] plain = firstChannel("plain");
        double[] shifted = firstChannel("shifted", "--filter", "add-rate");
        double[] negatedThenShifted = firstChannel("negated-shifted", "--filter", "negate,add-rate");
        double[] shiftedThenNegated = firstChannel("shifted-negated", "--filter", "add-rate,negate");

        assertEquals(plain[0] + 20, shifted[0], 1e-6, "add-rate adds the 20 Hz output rate");
        assertEquals(plain[1], shifted[1], 1e-6, "a shift keeps the spread");
        assertEquals(-plain[0] + 20, negatedThenShifted[0], 1e-6);
        assertEquals(-(plain[0] + 20), shiftedThenNegated[0], 1e-6);
        assertEquals(-(plain[3] + 20), shiftedThenNegated[2], 1e-6, "negating turns the maximum into the minimum");
    }

    @Test
    void anUnknownFilterIsAUsageErrorListingTheKnownOnes() {
        Cli.Result result = Cli.run("--in", in.toString(), "--out", dir.resolve("out").toString(),
                "--filter", "notch");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("option --filter names 'notch', which no library on the class path provides;"
                + " the channel filters are add-rate, negate"), result.err());
        assertEquals(false, Files.exists(dir.resolve("out")), "nothing is written");
    }

    @Test
    void aRepeatedFilterIsAUsageError() {
        Cli.Result result = Cli.run("--in", in.toString(), "--out", dir.resolve("out").toString(),
                "--filter", "negate,negate");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("option --filter names 'negate' twice"), result.err());
    }
}
