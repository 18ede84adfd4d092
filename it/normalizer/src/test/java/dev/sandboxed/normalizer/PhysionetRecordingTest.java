package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real PhysioNet EEG Motor Movement/Imagery recording S001R01: 64 channels at 160 Hz, 61 records. */
class PhysionetRecordingTest {
    @TempDir
    Path out;
    Path recording;

    @BeforeEach
    void locate() {
        Optional<Path> found = SharedData.physionetRecording();
        if (found.isEmpty()) {
            System.out.println("PhysionetRecordingTest skipped: " + SharedData.whereLooked());
        }
        Assumptions.assumeTrue(found.isPresent(), SharedData::whereLooked);
        recording = found.get();
    }

    @Test
    void readsTheOriginal() throws IOException {
        Recording input = Recording.read(recording);
        EdfHeader header = input.header();
        assertEquals(65, header.signals().size());
        assertEquals(61, header.dataRecords());
        assertEquals("EDF+C", header.reserved());
        assertEquals("Fc5.", header.signals().get(0).label());
        assertEquals(160, header.signals().get(0).samplesPerRecord());
        assertTrue(header.signals().get(64).isAnnotations());
        assertEquals(List.of(new Annotation("+0", "60.2", "T0")), input.events());
    }

    @Test
    void normalizesEndToEnd() throws IOException {
        Cli.Result result = Cli.run("--in", recording.toString(), "--out", out.toString(), "--labels", "1020",
                "--unit", "uV", "--rate", "128", "--scale", "zscore", "--threads", "2");
        assertEquals(0, result.code(), result.err());

        Recording input = Recording.read(recording);
        Recording output = Recording.read(out.resolve("S001R01.edf"));
        EdfHeader header = output.header();
        assertEquals(61, header.dataRecords());
        assertEquals(65, header.signals().size());
        List<String> expectedLabels = input.header().signals().stream()
                .map(s -> s.isAnnotations() ? s.label() : Labels.harmonise(s.label()))
                .collect(Collectors.toList());
        assertEquals(expectedLabels, header.signals().stream().map(EdfSignal::label).collect(Collectors.toList()));
        assertEquals("EEG FC5", header.signals().get(0).label());
        assertEquals("EEG FPZ", header.signals().get(22).label());
        assertEquals("EEG IZ", header.signals().get(63).label());
        for (int s = 0; s < 64; s++) {
            assertEquals(128, header.signals().get(s).samplesPerRecord(), "signal " + s);
        }
        assertEquals(input.annotationBytes().size(), output.annotationBytes().size());
        for (int r = 0; r < 61; r++) {
            assertArrayEquals(input.annotationBytes().get(r), output.annotationBytes().get(r), "record " + r);
        }
        assertEquals(input.events(), output.events());

        RunningStats fc5 = new RunningStats();
        for (double v : output.physical(0)) {
            fc5.accept(v);
        }
        assertEquals(0, fc5.mean(), 1e-3);
        assertEquals(1, fc5.sd(), 1e-3);

        String report = Files.readString(out.resolve("S001R01.report.json"));
        assertTrue(report.contains("\"old\": \"Iz..\",\n        \"new\": \"EEG IZ\""), report);
        assertTrue(report.contains("\"old\": 160,\n        \"new\": 128"), report);
        assertEquals(64, report.split("\"clipped\"", -1).length - 1);
    }

    @Test
    void withoutScalingValuesSurviveRequantisation() throws IOException {
        Cli.Result result = Cli.run("--in", recording.toString(), "--out", out.toString(), "--channels", "C3,Cz,C4");
        assertEquals(0, result.code(), result.err());
        Recording input = Recording.read(recording);
        Recording output = Recording.read(out.resolve("S001R01.edf"));
        int[] sources = {input.indexOf("C3.."), input.indexOf("Cz.."), input.indexOf("C4..")};
        for (int s = 0; s < 3; s++) {
            EdfSignal signal = output.header().signals().get(s);
            double halfStep = (signal.physicalMax() - signal.physicalMin()) / 65535 / 2;
            assertArrayEquals(input.physical(sources[s]), output.physical(s), halfStep + 1e-9,
                    output.header().signals().get(s).label());
        }
    }
}
