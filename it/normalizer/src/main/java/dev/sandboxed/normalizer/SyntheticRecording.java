package dev.sandboxed.normalizer;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes an EEG-like EDF+C recording of any length, one record at a time. It imitates what the normalizer has to
 * cope with in real data: PhysioNet-style labels ({@code Fc5.}, {@code C3..}), a mix of µV and mV channels, DC
 * offsets, rare saturated samples, and an annotation every four seconds. The same seed gives the same bytes.
 *
 * <p>Each channel is a DC offset plus an alpha rhythm (9-12 Hz), a beta rhythm (16-24 Hz), 50 Hz mains hum and
 * white noise, leaving out any component at or above the Nyquist frequency.
 */
public final class SyntheticRecording {
    /** Positions in the order of the PhysioNet motor imagery recordings, then the rest of the 10-10 system. */
    private static final List<String> POSITIONS = List.of(
            "FC5", "FC3", "FC1", "FCZ", "FC2", "FC4", "FC6", "C5", "C3", "C1", "CZ", "C2", "C4", "C6",
            "CP5", "CP3", "CP1", "CPZ", "CP2", "CP4", "CP6", "FP1", "FPZ", "FP2", "AF7", "AF3", "AFZ", "AF4", "AF8",
            "F7", "F5", "F3", "F1", "FZ", "F2", "F4", "F6", "F8", "FT7", "FT8", "T7", "T8", "T9", "T10",
            "TP7", "TP8", "P7", "P5", "P3", "P1", "PZ", "P2", "P4", "P6", "P8", "PO7", "PO3", "POZ", "PO4", "PO8",
            "O1", "OZ", "O2", "IZ", "NZ", "AF9", "AF5", "AF1", "AF2", "AF6", "AF10", "F9", "F10", "FT9", "FT10",
            "TP9", "TP10", "P9", "P10", "PO9", "PO5", "PO1", "PO2", "PO6", "PO10", "I1", "I2");
    /** Bytes of annotation signal per record: room for a time-keeping TAL and one event TAL. */
    private static final int ANNOTATION_SAMPLES = 32;
    /** Beyond the widest physical range, so a spike saturates the converter. */
    private static final double SPIKE_MICROVOLTS = 10_000;
    private static final double SATURATION_PROBABILITY = 1e-4;

    private SyntheticRecording() {
    }

    /**
     * Writes {@code seconds} one-second records of {@code channels} channels at {@code rate} Hz to {@code file}
     * (created or replaced, parent directories too; written through a temporary file and renamed).
     */
    public static void write(Path file, int channels, long seconds, int rate, long seed) throws IOException {
        if (channels < 1 || seconds < 1 || rate < 1) {
            throw new IllegalArgumentException("channels, seconds and rate must be at least 1: " + channels + ", "
                    + seconds + ", " + rate);
        }
        SplitMix64 random = new SplitMix64(seed);
        List<EdfSignal> signals = new ArrayList<>();
        Channel[] model = new Channel[channels];
        for (int c = 0; c < channels; c++) {
            boolean millivolts = c % 4 == 3;
            // 0.1 uV per digital step; decimal literals so the header shows exactly these values.
            double min = millivolts ? -3.2768 : -3276.8;
            double max = millivolts ? 3.2767 : 3276.7;
            signals.add(new EdfSignal(label(c), "AgAgCl electrode", millivolts ? "mV" : "uV", min, max,
                    Short.MIN_VALUE, Short.MAX_VALUE, "HP:0.1Hz LP:100Hz", rate, ""));
            model[c] = new Channel(random, rate, millivolts ? 1e-3 : 1);
        }
        signals.add(EdfSignal.annotations(ANNOTATION_SAMPLES));
        EdfHeader header = new EdfHeader("X X X X", "Startdate 01-JAN-2020 X X normalizer-generate", "01.01.20",
                "00.00.00", "EDF+C", seconds, BigDecimal.ONE, signals);
        short[] samples = new short[rate];
        byte[] annotations = new byte[2 * ANNOTATION_SAMPLES];
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFile.write(file, temporary -> {
            try (EdfWriter writer = EdfWriter.create(temporary, header)) {
                for (long record = 0; record < seconds; record++) {
                    for (int c = 0; c < channels; c++) {
                        EdfSignal signal = signals.get(c);
                        for (int i = 0; i < rate; i++) {
                            double physical = model[c].next(random);
                            long digital = Math.round((physical - signal.physicalMin()) * (signal.digitalMax()
                                    - signal.digitalMin()) / (signal.physicalMax() - signal.physicalMin()))
                                    + signal.digitalMin();
                            samples[i] = (short) Math.max(signal.digitalMin(), Math.min(signal.digitalMax(), digital));
                        }
                        writer.putSamples(c, samples, 0);
                    }
                    Arrays.fill(annotations, (byte) 0);
                    byte[] tal = annotationsOf(record);
                    System.arraycopy(tal, 0, annotations, 0, tal.length);
                    writer.putBytes(channels, annotations, 0);
                    writer.endRecord();
                }
            }
            return temporary;
        });
    }

    /** {@code Fc5.}, {@code C3..}: the position in title case, padded with dots to four characters. */
    static String label(int channel) {
        if (channel >= POSITIONS.size()) {
            return "Aux" + (channel - POSITIONS.size() + 1);
        }
        String position = POSITIONS.get(channel);
        StringBuilder label = new StringBuilder(position.substring(0, 1))
                .append(position.substring(1).toLowerCase(Locale.ROOT));
        while (label.length() < 4) {
            label.append('.');
        }
        return label.toString();
    }

    private static byte[] annotationsOf(long record) {
        BigDecimal onset = BigDecimal.valueOf(record);
        byte[] timekeeping = Tal.timekeeping(onset);
        if (record % 4 != 0) {
            return timekeeping;
        }
        byte[] event = Tal.tal(onset, "4", List.of("T" + (record / 4 % 3)));
        byte[] both = Arrays.copyOf(timekeeping, timekeeping.length + event.length);
        System.arraycopy(event, 0, both, timekeeping.length, event.length);
        return both;
    }

    /** One channel's signal model, in the channel's own unit. */
    private static final class Channel {
        private final double unit;
        private final double offset;
        private final double[] amplitude = new double[3];
        private final double[] step = new double[3];
        private final double[] phase = new double[3];
        private final double noise;

        Channel(SplitMix64 random, int rate, double unit) {
            this.unit = unit;
            this.offset = (random.nextDouble() - 0.5) * 100;
            double[] frequency = {9 + 3 * random.nextDouble(), 16 + 8 * random.nextDouble(), 50};
            double[] amplitudes = {10 + 20 * random.nextDouble(), 2 + 4 * random.nextDouble(), 1.5};
            for (int k = 0; k < 3; k++) {
                amplitude[k] = frequency[k] < rate / 2.0 ? amplitudes[k] : 0;
                step[k] = 2 * Math.PI * frequency[k] / rate;
                phase[k] = 2 * Math.PI * random.nextDouble();
            }
            this.noise = 3 + 3 * random.nextDouble();
        }

        double next(SplitMix64 random) {
            double microvolts = offset + noise * random.nextGaussian();
            for (int k = 0; k < 3; k++) {
                microvolts += amplitude[k] * Math.sin(phase[k]);
                phase[k] += step[k];
                if (phase[k] > 2 * Math.PI) {
                    phase[k] -= 2 * Math.PI;
                }
            }
            if (random.nextDouble() < SATURATION_PROBABILITY) {
                microvolts = random.nextDouble() < 0.5 ? -SPIKE_MICROVOLTS : SPIKE_MICROVOLTS;
            }
            return microvolts * unit;
        }
    }
}
