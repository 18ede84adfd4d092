package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, on recordings whose content is known exactly. */
class NormalizerTest {
    private static final int RATE = 200;
    private static final int SECONDS = 10;

    @TempDir
    Path dir;
    Path sines;
    Path out;

    /** Cz: 50 sin(2 pi 5 t) + 20 uV; Oz: 0.05 sin(2 pi 3 t) mV; both at 200 Hz for 10 one-second records. */
    @BeforeEach
    void writeSines() throws IOException {
        sines = dir.resolve("sines.edf");
        out = dir.resolve("out");
        short[] cz = new short[RATE * SECONDS];
        short[] oz = new short[RATE * SECONDS];
        for (int i = 0; i < cz.length; i++) {
            double t = (double) i / RATE;
            cz[i] = (short) Math.round((50 * Math.sin(2 * Math.PI * 5 * t) + 20) / 100 * 32767);
            oz[i] = (short) Math.round(0.05 * Math.sin(2 * Math.PI * 3 * t) / 0.1 * 32767);
        }
        TestEdf.write(sines, BigDecimal.ONE,
                List.of(TestEdf.signal("Cz..", "uV", -100, 100, -32767, 32767, RATE),
                        TestEdf.signal("Oz..", "mV", -0.1, 0.1, -32767, 32767, RATE)),
                List.of(cz, oz), List.of("", "", "Rest", "", "", "Task", "", "", "", "End"));
    }

    private Cli.Result normalize(String... options) {
        List<String> args = new ArrayList<>(List.of("--in", sines.toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    private List<String> outputFiles() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void harmonisesLabelsUnitsAndRateAndKeepsAnnotations() throws IOException {
        Cli.Result result = normalize("--labels", "1020", "--unit", "uV", "--rate", "100");
        assertEquals(0, result.code(), result.err());
        assertEquals(List.of("sines.edf", "sines.report.json"), outputFiles());

        Recording input = Recording.read(sines);
        Recording output = Recording.read(out.resolve("sines.edf"));
        EdfHeader header = output.header();
        assertEquals("EDF+C", header.reserved());
        assertEquals(SECONDS, header.dataRecords());
        assertEquals(List.of("EEG CZ", "EEG OZ", "EDF Annotations"),
                header.signals().stream().map(EdfSignal::label).collect(Collectors.toList()));
        assertEquals("uV", header.signals().get(0).physicalDimension());
        assertEquals("uV", header.signals().get(1).physicalDimension());
        assertEquals(100, header.signals().get(0).samplesPerRecord());
        assertEquals(input.annotationBytes().size(), output.annotationBytes().size());
        for (int r = 0; r < SECONDS; r++) {
            assertArrayEquals(input.annotationBytes().get(r), output.annotationBytes().get(r), "record " + r);
        }
        assertEquals(List.of("Rest", "Task", "End"),
                output.events().stream().map(Annotation::text).collect(Collectors.toList()));

        double[] cz = output.physical(0);
        double[] oz = output.physical(1);
        assertEquals(1000, cz.length);
        for (int m = 100; m < 900; m++) {
            double t = m / 100.0;
            assertEquals(50 * Math.sin(2 * Math.PI * 5 * t) + 20, cz[m], 0.05, "Cz at " + t + " s");
            assertEquals(50 * Math.sin(2 * Math.PI * 3 * t), oz[m], 0.05, "Oz at " + t + " s, converted to uV");
        }
    }

    @Test
    void reportHoldsHandComputedStatistics() throws IOException {
        TestEdf.small(sines);
        Cli.Result result = normalize("--labels", "1020", "--unit", "uV");
        assertEquals(0, result.code(), result.err());
        String report = Files.readString(out.resolve("sines.report.json"));

        // Fc5.: digital -2000, -1900, ..., 1900 under (d + 2048) * 1000 / 4095 - 500.
        double mean = (-50 + 2048) * 1000.0 / 4095 - 500;
        double sd = 100 * Math.sqrt((40 * 40 - 1) / 12.0) * 1000 / 4095;
        // C3..: digital 1000, 950, ..., 50 under (d + 1000) * 2 / 2000 - 1 mV, reported in uV; 1000 is the
        // digital maximum, so one sample counts as clipped.
        String expected = String.join("\n",
                "{",
                "  \"input\": \"sines.edf\",",
                "  \"output\": \"sines.edf\",",
                "  \"format\": \"edf\",",
                "  \"scale\": \"none\",",
                "  \"dataRecords\": 4,",
                "  \"recordDuration\": 1,",
                "  \"annotations\": 2,",
                "  \"channels\": [",
                "    {",
                "      \"label\": {",
                "        \"old\": \"Fc5.\",",
                "        \"new\": \"EEG FC5\"",
                "      },",
                "      \"rate\": {",
                "        \"old\": 10,",
                "        \"new\": 10",
                "      },",
                "      \"unit\": {",
                "        \"old\": \"uV\",",
                "        \"new\": \"uV\"",
                "      },",
                "      \"mean\": " + sixDecimals(mean) + ",",
                "      \"sd\": " + sixDecimals(sd) + ",",
                "      \"min\": " + sixDecimals((-2000 + 2048) * 1000.0 / 4095 - 500) + ",",
                "      \"max\": " + sixDecimals((1900 + 2048) * 1000.0 / 4095 - 500) + ",",
                "      \"clipped\": 0",
                "    },",
                "    {",
                "      \"label\": {",
                "        \"old\": \"C3..\",",
                "        \"new\": \"EEG C3\"",
                "      },",
                "      \"rate\": {",
                "        \"old\": 5,",
                "        \"new\": 5",
                "      },",
                "      \"unit\": {",
                "        \"old\": \"mV\",",
                "        \"new\": \"uV\"",
                "      },",
                "      \"mean\": 525,",
                "      \"sd\": " + sixDecimals(50 * Math.sqrt((20 * 20 - 1) / 12.0)) + ",",
                "      \"min\": 50,",
                "      \"max\": 1000,",
                "      \"clipped\": 1",
                "    }",
                "  ],",
                "  \"warnings\": []",
                "}",
                "");
        assertEquals(expected, report);
    }

    private static String sixDecimals(double value) {
        return new BigDecimal(value).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }

    @Test
    void zscoreGivesZeroMeanAndUnitSpread() throws IOException {
        assertEquals(0, normalize("--scale", "zscore").code());
        Recording output = Recording.read(out.resolve("sines.edf"));
        for (int s = 0; s < 2; s++) {
            RunningStats stats = new RunningStats();
            for (double v : output.physical(s)) {
                stats.accept(v);
            }
            assertEquals(0, stats.mean(), 1e-3);
            assertEquals(1, stats.sd(), 1e-3);
            assertEquals("", output.header().signals().get(s).physicalDimension(), "z-scores have no unit");
        }
        // A sine's extremes lie sqrt(2) standard deviations from its mean.
        assertEquals(Math.sqrt(2), output.header().signals().get(1).physicalMax(), 1e-3);
    }

    @Test
    void minmaxSpansMinusOneToOne() throws IOException {
        assertEquals(0, normalize("--scale", "minmax").code());
        Recording output = Recording.read(out.resolve("sines.edf"));
        EdfSignal cz = output.header().signals().get(0);
        assertEquals(-1.0, cz.physicalMin());
        assertEquals(1.0, cz.physicalMax());
        short[] digital = output.samples().get(0);
        short lo = Short.MAX_VALUE;
        short hi = Short.MIN_VALUE;
        for (short d : digital) {
            lo = (short) Math.min(lo, d);
            hi = (short) Math.max(hi, d);
        }
        assertEquals(Short.MIN_VALUE, lo);
        assertEquals(Short.MAX_VALUE, hi);
    }

    @Test
    void csvHasALabelRowAndOneRowPerSampleInstant() throws IOException {
        assertEquals(0, normalize("--format", "csv", "--labels", "1020", "--unit", "uV", "--rate", "50").code());
        assertEquals(List.of("sines.csv", "sines.report.json"), outputFiles());
        List<String> lines = Files.readAllLines(out.resolve("sines.csv"), StandardCharsets.UTF_8);
        assertEquals("EEG CZ,EEG OZ", lines.get(0));
        assertEquals(1 + 50 * SECONDS, lines.size());
        for (int m = 50; m < 450; m++) {
            String[] cells = lines.get(1 + m).split(",");
            double t = m / 50.0;
            assertEquals(50 * Math.sin(2 * Math.PI * 5 * t) + 20, Double.parseDouble(cells[0]), 0.05);
            assertEquals(50 * Math.sin(2 * Math.PI * 3 * t), Double.parseDouble(cells[1]), 0.05);
        }
    }

    @Test
    void csvWithoutARateUsesTheHighest() throws IOException {
        TestEdf.small(sines);
        assertEquals(0, normalize("--format", "csv").code());
        List<String> lines = Files.readAllLines(out.resolve("sines.csv"), StandardCharsets.UTF_8);
        assertEquals("Fc5.,C3..", lines.get(0));
        assertEquals(1 + 40, lines.size(), "10 Hz for 4 s; the 5 Hz channel is upsampled");
    }

    @Test
    void selectsChannelsByOriginalOrHarmonisedLabelInTheGivenOrder() throws IOException {
        assertEquals(0, normalize("--labels", "1020", "--channels", "Oz..,EEG CZ").code());
        EdfHeader header = Recording.read(out.resolve("sines.edf")).header();
        assertEquals(List.of("EEG OZ", "EEG CZ", "EDF Annotations"),
                header.signals().stream().map(EdfSignal::label).collect(Collectors.toList()));

        assertEquals(0, normalize("--channels", "cz,Oz").code(), "short names match harmonised labels");
    }

    @Test
    void unknownChannelIsAUsageErrorThatListsTheLabels() throws IOException {
        Cli.Result result = normalize("--channels", "Pz");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("names 'Pz', which the recording does not have; it has Cz.., Oz.."),
                result.err());
        assertEquals(List.of(), outputFiles());
    }

    @Test
    void rateThatGivesNoWholeSamplesPerRecordIsAUsageError() throws IOException {
        Cli.Result result = normalize("--rate", "0.5");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("--rate 0.5 Hz gives 0.5 samples per 1-second data record"), result.err());
    }

    @Test
    void ratioThatNeedsAHugeFilterIsAUsageError() throws IOException {
        Cli.Result result = normalize("--rate", "4099");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("signal 'Cz..': resampling 200 to 4099 samples per record is the ratio "
                + "4099/200"), result.err());
        assertEquals(List.of(), outputFiles());
    }

    @Test
    void unknownUnitsAreLeftAndReported() throws IOException {
        short[] temperature = new short[20];
        for (int i = 0; i < temperature.length; i++) {
            temperature[i] = (short) (i * 10);
        }
        TestEdf.write(sines, BigDecimal.ONE, List.of(TestEdf.signal("Temp", "degC", 30, 40, 0, 1000, 10)),
                List.of(temperature), List.of());
        assertEquals(0, normalize("--unit", "uV").code());
        assertEquals("degC", Recording.read(out.resolve("sines.edf")).header().signals().get(0).physicalDimension());
        assertTrue(Files.readString(out.resolve("sines.report.json"))
                .contains("\"signal 'Temp': unit 'degC' is not a voltage; left unchanged\""));
    }

    @Test
    void plainEdfGetsTimekeepingAnnotations() throws IOException {
        EdfHeader plain = new EdfHeader("patient 7", "lab run 3", "31.12.99", "23.59.59", "", 3,
                new BigDecimal("0.5"), List.of(TestEdf.signal("ECG", "mV", -5, 5, -2048, 2047, 4)));
        try (EdfWriter writer = EdfWriter.create(sines, plain)) {
            for (int r = 0; r < 3; r++) {
                writer.putSamples(0, new short[] {(short) r, 5, -5, 100}, 0);
                writer.endRecord();
            }
        }
        assertEquals(0, normalize().code());
        Recording output = Recording.read(out.resolve("sines.edf"));
        assertEquals("EDF+C", output.header().reserved());
        assertEquals("X X X patient_7", output.header().patient());
        assertEquals("Startdate 31-DEC-1999 X X X lab_run_3", output.header().recording());
        assertEquals(List.of("+0", "+0.5", "+1"),
                output.annotations().stream().map(Annotation::onset).collect(Collectors.toList()));
        assertTrue(output.events().isEmpty());
    }

    @Test
    void outputIsTheSameBytesForAnyThreadCount() throws IOException {
        Path synthetic = dir.resolve("inputs").resolve("synthetic.edf");
        Files.createDirectories(synthetic.getParent());
        SyntheticRecording.write(synthetic, 24, 30, 256, 11);
        TestEdf.small(synthetic.resolveSibling("small.edf"));
        List<byte[]> runs = new ArrayList<>();
        for (String threads : List.of("1", "2", "2", "1")) {
            Path target = dir.resolve("out" + runs.size());
            Cli.Result result = Cli.run("--in", synthetic.getParent().toString(), "--out", target.toString(),
                    "--threads", threads, "--labels", "1020", "--unit", "uV", "--rate", "100", "--scale", "zscore");
            assertEquals(0, result.code(), result.err());
            byte[] all = TestEdf.concat(Files.readAllBytes(target.resolve("synthetic.edf")),
                    Files.readAllBytes(target.resolve("synthetic.report.json")));
            all = TestEdf.concat(all, Files.readAllBytes(target.resolve("small.edf")));
            runs.add(all);
        }
        for (int i = 1; i < runs.size(); i++) {
            assertArrayEquals(runs.get(0), runs.get(i), "run " + i);
        }
    }
}
