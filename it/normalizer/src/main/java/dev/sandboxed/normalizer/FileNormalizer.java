package dev.sandboxed.normalizer;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntConsumer;

/**
 * Normalizes one recording in two streaming passes. The first measures every channel (mean, spread, extremes)
 * and validates all annotations; the second scales, quantises and writes. Both passes push each block of
 * records through every channel's {@link ChannelPipeline}, the channels in parallel when the current
 * {@link ForkJoinPool} has more than one thread. Nothing is written before the first pass has accepted the whole
 * file, and the output only appears, atomically, once it is complete.
 */
final class FileNormalizer {
    private final Options options;
    private final Optional<Gzip> gzip;
    private final List<ChannelFilter> filters;

    FileNormalizer(Options options, Optional<Gzip> gzip, List<ChannelFilter> filters) {
        this.options = Objects.requireNonNull(options, "options");
        this.gzip = Objects.requireNonNull(gzip, "gzip");
        this.filters = List.copyOf(Objects.requireNonNull(filters, "filters"));
    }

    /** The data output's file name for an input with base name {@code baseName}. */
    String outputName(String baseName) {
        return baseName + options.format().extension() + (options.gzip() ? ".gz" : "");
    }

    static String reportName(String baseName) {
        return baseName + ".report.json";
    }

    /**
     * Normalizes {@code input} into {@code outDir}: the data output and its report.
     *
     * @throws BadInputException if the input is not a recording that can be normalized (exit code 3)
     * @throws UsageException if the options do not fit this recording (exit code 2)
     * @throws IOException if an output cannot be written
     */
    FileReport normalize(Path input, Path outDir, String baseName) throws IOException, UsageException {
        List<String> warnings = new ArrayList<>();
        EdfHeader header;
        List<ChannelPlan> plans;
        Measurement measured;
        try (EdfReader reader = open(input)) {
            header = reader.header();
            plans = plan(input, header, warnings);
            measured = measure(reader, plans);
        }
        int count = plans.size();
        DoubleUnaryOperator[] scalings = new DoubleUnaryOperator[count];
        Quantizer[] quantizers = new Quantizer[count];
        for (int i = 0; i < count; i++) {
            RunningStats stats = measured.stats[i];
            scalings[i] = options.scale().fit(stats);
            try {
                quantizers[i] = Quantizer.covering(scalings[i].applyAsDouble(stats.min()),
                        scalings[i].applyAsDouble(stats.max()));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(input + ": signal " + (plans.get(i).signal() + 1) + " ("
                        + plans.get(i).source().label() + "): " + e.getMessage());
            }
        }
        String outputName = outputName(baseName);
        Path target = outDir.resolve(outputName);
        try (EdfReader reader = open(input)) {
            if (!reader.header().equals(header)) {
                throw new BadInputException(input + ": the header changed between the two passes over the file");
            }
            AtomicFile.write(target, temporary -> {
                if (options.format() == OutputFormat.EDF) {
                    writeEdf(reader, plans, scalings, quantizers, temporary);
                } else {
                    writeCsv(reader, plans, scalings, quantizers, temporary);
                }
                return gzip.isPresent() ? gzip.get().compress(temporary) : temporary;
            });
        }
        List<ChannelReport> channels = new ArrayList<>();
        double seconds = header.recordDuration().doubleValue();
        for (int i = 0; i < count; i++) {
            ChannelPlan plan = plans.get(i);
            RunningStats stats = measured.stats[i];
            channels.add(new ChannelReport(plan.source().label(), plan.label(),
                    plan.source().samplesPerRecord() / seconds, plan.samplesOut() / seconds,
                    plan.source().physicalDimension(), plan.unit(), stats.mean(), stats.sd(), stats.min(),
                    stats.max(), measured.clipped[i]));
        }
        FileReport report = new FileReport(input.getFileName().toString(), outputName, options.format(),
                options.scale(), header.dataRecords(), seconds, measured.annotations, channels, warnings);
        String json = report.toJson();
        AtomicFile.write(outDir.resolve(reportName(baseName)), temporary -> {
            Files.writeString(temporary, json, StandardCharsets.UTF_8);
            return temporary;
        });
        return report;
    }

    private static EdfReader open(Path input) throws IOException {
        try {
            return EdfReader.open(input);
        } catch (BadInputException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new BadInputException(input + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException(input + ": cannot be read: " + e, e);
        }
    }

    private List<ChannelPlan> plan(Path input, EdfHeader header, List<String> warnings)
            throws UsageException, BadInputException {
        List<Integer> chosen = choose(input, header);
        int maxSamples = 0;
        for (int index : chosen) {
            maxSamples = Math.max(maxSamples, header.signals().get(index).samplesPerRecord());
        }
        List<ChannelPlan> plans = new ArrayList<>();
        Map<String, String> labelsSeen = new HashMap<>();
        Map<List<Integer>, PolyphaseFilter> filters = new HashMap<>();
        for (int index : chosen) {
            EdfSignal signal = header.signals().get(index);
            String label = options.labels1020() ? Labels.harmonise(signal.label()) : signal.label();
            String previous = labelsSeen.putIfAbsent(label, signal.label());
            if (previous != null) {
                warnings.add("signals '" + previous + "' and '" + signal.label() + "' both have the label '"
                        + label + "'");
            }
            String unit = signal.physicalDimension();
            double factor = 1;
            if (options.microvolts()) {
                OptionalDouble toMicrovolts = Units.toMicrovolts(unit);
                if (toMicrovolts.isPresent()) {
                    unit = Units.MICROVOLT;
                    factor = toMicrovolts.getAsDouble();
                } else {
                    warnings.add("signal '" + signal.label() + "': unit '" + unit
                            + "' is not a voltage; left unchanged");
                }
            }
            int samplesOut = samplesOut(input, header, signal, maxSamples);
            PolyphaseFilter filter;
            try {
                filter = filters.computeIfAbsent(List.of(signal.samplesPerRecord(), samplesOut),
                        ratio -> PolyphaseFilter.design(ratio.get(0), ratio.get(1)));
            } catch (IllegalArgumentException e) {
                throw new UsageException(input + ": signal '" + signal.label() + "': " + e.getMessage());
            }
            plans.add(new ChannelPlan(index, signal, label, unit, factor, samplesOut, filter));
        }
        return plans;
    }

    private int samplesOut(Path input, EdfHeader header, EdfSignal signal, int maxSamples) throws UsageException {
        if (options.rate().isEmpty()) {
            return options.format() == OutputFormat.CSV ? maxSamples : signal.samplesPerRecord();
        }
        BigDecimal samples = options.rate().get().multiply(header.recordDuration());
        BigDecimal whole = samples.setScale(0, RoundingMode.DOWN);
        if (samples.compareTo(whole) != 0 || whole.signum() == 0 || whole.compareTo(BigDecimal.valueOf(1 << 24)) > 0) {
            throw new UsageException(input + ": --rate " + EdfNumbers.plain(options.rate().get())
                    + " Hz gives " + EdfNumbers.plain(samples) + " samples per " + EdfNumbers.plain(
                    header.recordDuration()) + "-second data record; choose a rate that gives a whole number");
        }
        return whole.intValueExact();
    }

    /** Indices of the signals to output, in output order. */
    private List<Integer> choose(Path input, EdfHeader header) throws UsageException, BadInputException {
        List<Integer> ordinary = new ArrayList<>();
        for (int i = 0; i < header.signals().size(); i++) {
            if (!header.signals().get(i).isAnnotations()) {
                ordinary.add(i);
            }
        }
        if (ordinary.isEmpty()) {
            throw new BadInputException(input + ": the recording has only annotation signals; nothing to normalize");
        }
        if (options.channels().isEmpty()) {
            return ordinary;
        }
        List<Integer> chosen = new ArrayList<>();
        for (String wanted : options.channels()) {
            List<Integer> matches = new ArrayList<>();
            for (int index : ordinary) {
                String label = header.signals().get(index).label();
                if (label.equals(wanted) || Labels.harmonise(label).equals(Labels.harmonise(wanted))) {
                    matches.add(index);
                }
            }
            if (matches.isEmpty()) {
                List<String> labels = new ArrayList<>();
                for (int index : ordinary) {
                    labels.add(header.signals().get(index).label());
                }
                throw new UsageException(input + ": --channels names '" + wanted + "', which the recording "
                        + "does not have; it has " + String.join(", ", labels));
            }
            if (matches.size() > 1) {
                throw new UsageException(input + ": --channels name '" + wanted + "' matches " + matches.size()
                        + " signals; use the exact original label");
            }
            if (chosen.contains(matches.get(0))) {
                throw new UsageException(input + ": --channels names signal '"
                        + header.signals().get(matches.get(0)).label() + "' twice");
            }
            chosen.add(matches.get(0));
        }
        return chosen;
    }

    /** What the first pass learns. */
    private static final class Measurement {
        final RunningStats[] stats;
        final long[] clipped;
        long annotations;

        Measurement(int channels) {
            stats = new RunningStats[channels];
            for (int i = 0; i < channels; i++) {
                stats[i] = new RunningStats();
            }
            clipped = new long[channels];
        }
    }

    private Measurement measure(EdfReader reader, List<ChannelPlan> plans) throws IOException {
        EdfHeader header = reader.header();
        int count = plans.size();
        Measurement measurement = new Measurement(count);
        ChannelPipeline[] pipelines = pipelines(header, plans);
        DoubleConsumer[] sinks = new DoubleConsumer[count];
        for (int i = 0; i < count; i++) {
            sinks[i] = measurement.stats[i]::accept;
        }
        int perBlock = reader.recordsPerBlock();
        byte[] block = new byte[perBlock * header.recordBytes()];
        int records;
        while ((records = reader.read(block, perBlock)) > 0) {
            long first = reader.recordsRead() - records;
            measurement.annotations += checkAnnotations(reader, block, records, first);
            int inBlock = records;
            forEachChannel(count, i -> pipelines[i].feed(block, inBlock, sinks[i]));
        }
        forEachChannel(count, i -> pipelines[i].finish(sinks[i]));
        for (int i = 0; i < count; i++) {
            measurement.clipped[i] = pipelines[i].clipped();
        }
        return measurement;
    }

    /** Parses every TAL in the block; returns the number of annotations that are not time-keeping. */
    private static long checkAnnotations(EdfReader reader, byte[] block, int records, long firstRecord)
            throws EdfFormatException {
        EdfHeader header = reader.header();
        long count = 0;
        boolean firstSignal = true;
        for (int s = 0; s < header.signals().size(); s++) {
            EdfSignal signal = header.signals().get(s);
            if (!signal.isAnnotations()) {
                continue;
            }
            int offset = header.signalOffset(s);
            int bytes = 2 * signal.samplesPerRecord();
            for (int r = 0; r < records; r++) {
                long record = firstRecord + r;
                long fileOffset = reader.offsetOf(record) + offset;
                String field = "annotation signal " + (s + 1) + " of data record " + (record + 1);
                List<Annotation> annotations = Tal.parse(block, r * header.recordBytes() + offset, bytes,
                        reader.file(), fileOffset, field);
                if (firstSignal && header.isEdfPlus()
                        && (annotations.isEmpty() || !annotations.get(0).isTimekeeping())) {
                    throw new EdfFormatException(reader.file(), field, fileOffset,
                            "an EDF+ data record must open with a time-keeping TAL (+onset 0x14 0x14)");
                }
                for (Annotation annotation : annotations) {
                    if (!annotation.isTimekeeping()) {
                        count++;
                    }
                }
            }
            firstSignal = false;
        }
        return count;
    }

    private void writeEdf(EdfReader reader, List<ChannelPlan> plans, DoubleUnaryOperator[] scalings,
            Quantizer[] quantizers, Path file) throws IOException {
        EdfHeader header = reader.header();
        int count = plans.size();
        List<Integer> annotationSignals = new ArrayList<>();
        for (int s = 0; s < header.signals().size(); s++) {
            if (header.signals().get(s).isAnnotations()) {
                annotationSignals.add(s);
            }
        }
        EdfHeader outHeader = OutputHeader.edfPlus(header, plans, quantizers, options.scale(), annotationSignals);
        ShortQueue[] queues = queues(count);
        DoubleConsumer[] sinks = quantizingSinks(scalings, quantizers, queues);
        ChannelPipeline[] pipelines = pipelines(header, plans);
        int annotationBytes = 0;
        for (int s : annotationSignals) {
            annotationBytes += 2 * header.signals().get(s).samplesPerRecord();
        }
        Deque<byte[]> pendingAnnotations = new ArrayDeque<>();
        int maxSamples = 0;
        for (ChannelPlan plan : plans) {
            maxSamples = Math.max(maxSamples, plan.samplesOut());
        }
        short[] samples = new short[maxSamples];
        boolean generate = annotationSignals.isEmpty();
        int perBlock = reader.recordsPerBlock();
        byte[] block = new byte[perBlock * header.recordBytes()];
        try (EdfWriter writer = EdfWriter.create(file, outHeader)) {
            int records;
            while ((records = reader.read(block, perBlock)) > 0) {
                for (int r = 0; r < records && !annotationSignals.isEmpty(); r++) {
                    byte[] annotations = new byte[annotationBytes];
                    int at = 0;
                    for (int s : annotationSignals) {
                        int length = 2 * header.signals().get(s).samplesPerRecord();
                        System.arraycopy(block, r * header.recordBytes() + header.signalOffset(s), annotations, at,
                                length);
                        at += length;
                    }
                    pendingAnnotations.add(annotations);
                }
                int inBlock = records;
                forEachChannel(count, i -> pipelines[i].feed(block, inBlock, sinks[i]));
                writeReadyRecords(writer, plans, queues, pendingAnnotations, generate, samples);
            }
            forEachChannel(count, i -> pipelines[i].finish(sinks[i]));
            writeReadyRecords(writer, plans, queues, pendingAnnotations, generate, samples);
            if (writer.recordsWritten() != header.dataRecords()) {
                throw new IllegalStateException("wrote " + writer.recordsWritten() + " of " + header.dataRecords()
                        + " records");
            }
        }
    }

    /**
     * Writes every output record all channels have samples for. Annotations are copied from the input record
     * with the same index, or, for a plain EDF input, made up of a time-keeping TAL.
     */
    private static void writeReadyRecords(EdfWriter writer, List<ChannelPlan> plans, ShortQueue[] queues,
            Deque<byte[]> pendingAnnotations, boolean generateTimekeeping, short[] samples) throws IOException {
        EdfHeader outHeader = writer.header();
        int count = plans.size();
        while (writer.recordsWritten() < outHeader.dataRecords() && ready(plans, queues)) {
            for (int i = 0; i < count; i++) {
                queues[i].poll(samples, plans.get(i).samplesOut());
                writer.putSamples(i, samples, 0);
            }
            if (generateTimekeeping) {
                BigDecimal onset = outHeader.recordDuration().multiply(BigDecimal.valueOf(writer.recordsWritten()));
                byte[] tal = Tal.timekeeping(onset);
                int room = 2 * outHeader.signals().get(count).samplesPerRecord();
                if (tal.length > room) {
                    throw new IllegalStateException("time-keeping TAL of " + tal.length + " bytes exceeds the "
                            + room + " bytes reserved for it");
                }
                writer.putBytes(count, Arrays.copyOf(tal, room), 0);
            } else {
                byte[] annotations = pendingAnnotations.remove();
                int at = 0;
                for (int s = count; s < outHeader.signals().size(); s++) {
                    writer.putBytes(s, annotations, at);
                    at += 2 * outHeader.signals().get(s).samplesPerRecord();
                }
            }
            writer.endRecord();
        }
    }

    private static boolean ready(List<ChannelPlan> plans, ShortQueue[] queues) {
        for (int i = 0; i < queues.length; i++) {
            if (queues[i].size() < plans.get(i).samplesOut()) {
                return false;
            }
        }
        return true;
    }

    private void writeCsv(EdfReader reader, List<ChannelPlan> plans, DoubleUnaryOperator[] scalings,
            Quantizer[] quantizers, Path file) throws IOException {
        EdfHeader header = reader.header();
        int count = plans.size();
        ShortQueue[] queues = queues(count);
        DoubleConsumer[] sinks = quantizingSinks(scalings, quantizers, queues);
        ChannelPipeline[] pipelines = pipelines(header, plans);
        int[] decimals = new int[count];
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < count; i++) {
            decimals[i] = quantizers[i].decimals();
            line.append(i == 0 ? "" : ",").append(csvText(plans.get(i).label()));
        }
        line.append('\n');
        int perBlock = reader.recordsPerBlock();
        byte[] block = new byte[perBlock * header.recordBytes()];
        try (Writer out = new OutputStreamWriter(new BufferedOutputStream(Files.newOutputStream(file),
                EdfReader.IO_BUFFER), StandardCharsets.UTF_8)) {
            out.append(line);
            int records;
            while ((records = reader.read(block, perBlock)) > 0) {
                int inBlock = records;
                forEachChannel(count, i -> pipelines[i].feed(block, inBlock, sinks[i]));
                writeReadyRows(out, queues, quantizers, decimals, line);
            }
            forEachChannel(count, i -> pipelines[i].finish(sinks[i]));
            writeReadyRows(out, queues, quantizers, decimals, line);
        }
    }

    private static void writeReadyRows(Writer out, ShortQueue[] queues, Quantizer[] quantizers, int[] decimals,
            StringBuilder line) throws IOException {
        int rows = Integer.MAX_VALUE;
        for (ShortQueue queue : queues) {
            rows = Math.min(rows, queue.size());
        }
        for (int row = 0; row < rows; row++) {
            line.setLength(0);
            for (int i = 0; i < queues.length; i++) {
                if (i > 0) {
                    line.append(',');
                }
                Numbers.fixed(quantizers[i].decode(queues[i].poll()), decimals[i], line);
            }
            line.append('\n');
            out.append(line);
        }
    }

    /** RFC 4180 quoting, only where a label needs it. */
    private static String csvText(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static ShortQueue[] queues(int count) {
        ShortQueue[] queues = new ShortQueue[count];
        for (int i = 0; i < count; i++) {
            queues[i] = new ShortQueue();
        }
        return queues;
    }

    private static DoubleConsumer[] quantizingSinks(DoubleUnaryOperator[] scalings, Quantizer[] quantizers,
            ShortQueue[] queues) {
        DoubleConsumer[] sinks = new DoubleConsumer[queues.length];
        for (int i = 0; i < queues.length; i++) {
            DoubleUnaryOperator scaling = scalings[i];
            Quantizer quantizer = quantizers[i];
            ShortQueue queue = queues[i];
            sinks[i] = x -> queue.add(quantizer.quantize(scaling.applyAsDouble(x)));
        }
        return sinks;
    }

    /** Fresh pipelines for one pass, each with its own started chain of channel filters. */
    private ChannelPipeline[] pipelines(EdfHeader header, List<ChannelPlan> plans) {
        ChannelPipeline[] pipelines = new ChannelPipeline[plans.size()];
        double seconds = header.recordDuration().doubleValue();
        for (int i = 0; i < pipelines.length; i++) {
            ChannelPlan plan = plans.get(i);
            pipelines[i] = new ChannelPipeline(plan, header.recordBytes(), header.signalOffset(plan.signal()),
                    ChannelFilters.chain(filters, plan.samplesOut() / seconds));
        }
        return pipelines;
    }

    /**
     * Runs {@code task} for every channel: in parallel on the current fork-join pool when it has more than one
     * thread, otherwise in order on this thread. Channels share no state, so the results are the same either way.
     */
    private static void forEachChannel(int count, IntConsumer task) {
        ForkJoinPool pool = ForkJoinTask.getPool();
        if (count == 1 || pool == null || pool.getParallelism() == 1) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int channel = i;
            tasks.add(ForkJoinTask.adapt(() -> task.accept(channel)));
        }
        ForkJoinTask.invokeAll(tasks);
    }
}
