package dev.sandboxed.normalizer;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Writes small EDF+C files whose every sample a test chooses. */
final class TestEdf {
    private TestEdf() {
    }

    static EdfSignal signal(String label, String unit, double physicalMin, double physicalMax, int digitalMin,
            int digitalMax, int samplesPerRecord) {
        return new EdfSignal(label, "test electrode", unit, physicalMin, physicalMax, digitalMin, digitalMax,
                "HP:0.1Hz", samplesPerRecord, "");
    }

    /**
     * Writes an EDF+C file with {@code signals} followed by an annotation signal of 30 samples.
     *
     * @param digital per signal, all its samples in record order (length = records * samples per record)
     * @param events per record, extra annotation texts (after the time-keeping TAL); may be empty strings
     */
    static EdfHeader write(Path file, BigDecimal duration, List<EdfSignal> signals, List<short[]> digital,
            List<String> events) throws IOException {
        int records = digital.get(0).length / signals.get(0).samplesPerRecord();
        List<EdfSignal> all = new ArrayList<>(signals);
        all.add(EdfSignal.annotations(30));
        EdfHeader header = new EdfHeader("X X X X", "Startdate 02-MAR-2021 X X test", "02.03.21", "10.20.30",
                "EDF+C", records, duration, all);
        try (EdfWriter writer = EdfWriter.create(file, header)) {
            for (int r = 0; r < records; r++) {
                for (int s = 0; s < signals.size(); s++) {
                    writer.putSamples(s, digital.get(s), r * signals.get(s).samplesPerRecord());
                }
                BigDecimal onset = duration.multiply(BigDecimal.valueOf(r));
                byte[] tal = Tal.timekeeping(onset);
                String event = r < events.size() ? events.get(r) : "";
                if (!event.isEmpty()) {
                    byte[] extra = Tal.tal(onset.add(new BigDecimal("0.25")), "0.5", List.of(event));
                    tal = concat(tal, extra);
                }
                writer.putBytes(signals.size(), Arrays.copyOf(tal, 60), 0);
                writer.endRecord();
            }
        }
        return header;
    }

    /** A generic two-signal file: 4 records of 1 s, a 10-sample ramp and a 5-sample ramp, events in records 0 and 2. */
    static EdfHeader small(Path file) throws IOException {
        short[] a = new short[40];
        short[] b = new short[20];
        for (int i = 0; i < a.length; i++) {
            a[i] = (short) (i * 100 - 2000);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (short) (1000 - i * 50);
        }
        return write(file, BigDecimal.ONE, List.of(signal("Fc5.", "uV", -500, 500, -2048, 2047, 10),
                signal("C3..", "mV", -1, 1, -1000, 1000, 5)), List.of(a, b), List.of("T1", "", "T2 start", ""));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
