package dev.sandboxed.normalizer;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Normalizes every input of a run. Files and, within each file, channels share one fork-join pool of
 * {@code --threads} workers; work stealing lets a file's channels use threads other files leave idle without
 * nested pools. One bad file does not stop the others: each gets its own {@link FileOutcome}.
 */
public final class Normalizer {
    private final Options options;
    private final Optional<Gzip> gzip;
    private final List<ChannelFilter> filters;

    /** @param filters the channel filters {@code --filter} chose, in order */
    Normalizer(Options options, Optional<Gzip> gzip, List<ChannelFilter> filters) {
        this.options = Objects.requireNonNull(options, "options");
        this.gzip = Objects.requireNonNull(gzip, "gzip");
        this.filters = List.copyOf(Objects.requireNonNull(filters, "filters"));
        if (options.gzip() && gzip.isEmpty()) {
            throw new IllegalArgumentException("--gzip needs a gzip program");
        }
    }

    /**
     * Normalizes all inputs, in parallel as the options allow, and returns one outcome per input in input
     * order.
     *
     * @throws UsageException if the inputs or output directory do not make sense (exit code 2)
     * @throws IOException if the output directory cannot be created
     */
    public List<FileOutcome> run() throws UsageException, IOException {
        List<Path> inputs = inputs(options.in());
        Path out = options.out();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a file; it must be a directory");
        }
        Files.createDirectories(out);
        FileNormalizer normalizer = new FileNormalizer(options, gzip, filters);
        Map<String, Path> byName = new HashMap<>();
        List<String> baseNames = new ArrayList<>();
        for (Path input : inputs) {
            String baseName = baseName(input);
            Path clash = byName.putIfAbsent(normalizer.outputName(baseName), input);
            if (clash != null) {
                throw new UsageException("inputs " + clash + " and " + input + " would both be written to "
                        + normalizer.outputName(baseName));
            }
            Path target = out.resolve(normalizer.outputName(baseName));
            if (Files.exists(target) && Files.isSameFile(target, input)) {
                throw new UsageException("output " + target + " would overwrite its input; choose another --out");
            }
            baseNames.add(baseName);
        }
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            List<Future<FileOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                Path input = inputs.get(i);
                String baseName = baseNames.get(i);
                futures.add(pool.submit(() -> normalizeOne(normalizer, input, out, baseName)));
            }
            List<FileOutcome> outcomes = new ArrayList<>();
            for (Future<FileOutcome> future : futures) {
                outcomes.add(join(future));
            }
            return outcomes;
        } finally {
            pool.shutdown();
        }
    }

    private static FileOutcome normalizeOne(FileNormalizer normalizer, Path input, Path out, String baseName) {
        try {
            FileReport report = normalizer.normalize(input, out, baseName);
            return new FileOutcome(input, 0, input + " -> " + out.resolve(report.output()) + " ("
                    + report.channels().size() + " channels, " + report.dataRecords() + " records)",
                    Optional.of(report));
        } catch (BadInputException e) {
            return new FileOutcome(input, 3, e.getMessage(), Optional.empty());
        } catch (UsageException e) {
            return new FileOutcome(input, 2, e.getMessage(), Optional.empty());
        } catch (IOException e) {
            return new FileOutcome(input, 1, input + ": could not write the output: " + e, Optional.empty());
        }
    }

    private static FileOutcome join(Future<FileOutcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a file", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** The file itself, or a directory's {@code *.edf} files (any case) sorted by name. */
    static List<Path> inputs(Path in) throws UsageException, IOException {
        if (!Files.exists(in)) {
            throw new UsageException("--in " + in + " does not exist");
        }
        if (!Files.isDirectory(in)) {
            return List.of(in);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(in)) {
            entries.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".edf"))
                    .filter(Files::isRegularFile)
                    .forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new UsageException("--in " + in + " is a directory without .edf files");
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return files;
    }

    /** The file name without its last extension: {@code S001R01.edf} → {@code S001R01}. */
    static String baseName(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
