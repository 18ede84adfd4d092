package dev.sandboxed.normalizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small EDF file read whole into memory, for tests to inspect. */
record Recording(EdfHeader header, List<short[]> samples, List<Annotation> annotations, List<byte[]> annotationBytes) {

    static Recording read(Path file) throws IOException {
        try (EdfReader reader = EdfReader.open(file)) {
            EdfHeader header = reader.header();
            int signals = header.signals().size();
            List<short[]> samples = new ArrayList<>();
            for (EdfSignal signal : header.signals()) {
                samples.add(new short[(int) (signal.samplesPerRecord() * header.dataRecords())]);
            }
            List<Annotation> annotations = new ArrayList<>();
            List<byte[]> annotationBytes = new ArrayList<>();
            byte[] record = new byte[header.recordBytes()];
            for (long r = 0; r < header.dataRecords(); r++) {
                if (reader.read(record, 1) != 1) {
                    throw new IllegalStateException("record " + r + " missing");
                }
                for (int s = 0; s < signals; s++) {
                    EdfSignal signal = header.signals().get(s);
                    int offset = header.signalOffset(s);
                    if (signal.isAnnotations()) {
                        annotations.addAll(Tal.parse(record, offset, 2 * signal.samplesPerRecord(), file,
                                reader.offsetOf(r) + offset, "annotations"));
                        byte[] raw = new byte[2 * signal.samplesPerRecord()];
                        System.arraycopy(record, offset, raw, 0, raw.length);
                        annotationBytes.add(raw);
                    } else {
                        for (int i = 0; i < signal.samplesPerRecord(); i++) {
                            samples.get(s)[(int) (r * signal.samplesPerRecord() + i)] =
                                    EdfReader.sample(record, offset, i);
                        }
                    }
                }
            }
            if (reader.read(record, 1) != 0) {
                throw new IllegalStateException("more records than declared");
            }
            return new Recording(header, samples, annotations, annotationBytes);
        }
    }

    /** Physical values of signal {@code s}. */
    double[] physical(int s) {
        EdfSignal signal = header.signals().get(s);
        short[] digital = samples.get(s);
        double[] values = new double[digital.length];
        for (int i = 0; i < digital.length; i++) {
            values[i] = signal.toPhysical(digital[i]);
        }
        return values;
    }

    int indexOf(String label) {
        for (int s = 0; s < header.signals().size(); s++) {
            if (header.signals().get(s).label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no signal " + label);
    }

    List<Annotation> events() {
        List<Annotation> events = new ArrayList<>();
        for (Annotation annotation : annotations) {
            if (!annotation.isTimekeeping()) {
                events.add(annotation);
            }
        }
        return events;
    }
}
