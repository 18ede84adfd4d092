package dev.sandboxed.normalizer;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one {@code normalize} run was asked to do.
 *
 * @param in an EDF file, or a directory whose {@code *.edf} files are all normalized
 * @param out the directory outputs and reports go to
 * @param rate the common sampling rate in Hz; empty keeps each channel's rate (EDF) or uses the highest (CSV)
 * @param microvolts convert every voltage channel to µV
 * @param labels1020 rename electrodes to their 10-20/10-10 names
 * @param channels the channels to keep, by original or harmonised label, in output order; empty keeps all
 * @param threads worker threads shared by all files and channels
 * @param gzip compress every data output with the external {@code gzip -n}
 * @param filters names of the {@link dev.sandboxed.normalizer.spi.ChannelFilter}s to apply, in order
 */
public record Options(Path in, Path out, Optional<BigDecimal> rate, boolean microvolts, boolean labels1020,
        Scale scale, List<String> channels, OutputFormat format, int threads, boolean gzip, List<String> filters) {

    public static final String USAGE = String.join("\n",
            "usage: normalize --in FILE|DIR --out DIR [--rate HZ] [--unit uV] [--labels 1020]",
            "                 [--scale zscore|minmax|none] [--channels A,B,...] [--format edf|csv]",
            "                 [--threads N] [--gzip] [--filter NAME,...]",
            "       generate --out FILE --channels N --seconds S --rate HZ [--seed X]",
            "exit codes: 0 success, 1 output could not be written, 2 usage error, 3 bad input");

    private static final Set<String> VALUED = Set.of("in", "out", "rate", "unit", "labels", "scale", "channels",
            "format", "threads", "filter");
    private static final Set<String> FLAGS = Set.of("gzip");

    public Options {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(scale, "scale");
        channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
        Objects.requireNonNull(format, "format");
        filters = List.copyOf(Objects.requireNonNull(filters, "filters"));
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }

    public static Options parse(String[] args) throws UsageException {
        Args parsed = Args.parse(args, VALUED, FLAGS);
        Path in = Path.of(parsed.required("in"));
        Path out = Path.of(parsed.required("out"));
        Optional<BigDecimal> rate = Optional.empty();
        if (parsed.value("rate").isPresent()) {
            rate = Optional.of(parseRate(parsed.value("rate").get()));
        }
        boolean microvolts = false;
        if (parsed.value("unit").isPresent()) {
            String unit = parsed.value("unit").get();
            if (!unit.equals("uV") && !unit.equals("\u00b5V")) {
                throw new UsageException("option --unit takes uV (microvolts), not '" + unit + "'");
            }
            microvolts = true;
        }
        boolean labels = false;
        if (parsed.value("labels").isPresent()) {
            String system = parsed.value("labels").get();
            if (!system.equals("1020")) {
                throw new UsageException("option --labels takes 1020 (10-20/10-10 names), not '" + system + "'");
            }
            labels = true;
        }
        Scale scale = parsed.value("scale").isPresent() ? Scale.parse(parsed.value("scale").get()) : Scale.NONE;
        List<String> channels = parsed.value("channels").isPresent()
                ? parseNames("channels", parsed.value("channels").get())
                : List.of();
        List<String> filters = parsed.value("filter").isPresent()
                ? parseNames("filter", parsed.value("filter").get())
                : List.of();
        OutputFormat format = parsed.value("format").isPresent()
                ? OutputFormat.parse(parsed.value("format").get())
                : OutputFormat.EDF;
        int threads = (int) parsed.longValue("threads", 1, 256, 1);
        return new Options(in, out, rate, microvolts, labels, scale, channels, format, threads, parsed.flag("gzip"),
                filters);
    }

    private static BigDecimal parseRate(String text) throws UsageException {
        BigDecimal rate;
        try {
            rate = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new UsageException("option --rate needs a rate in Hz such as 128, not '" + text + "'");
        }
        if (rate.signum() <= 0) {
            throw new UsageException("option --rate must be above 0 Hz, not " + text);
        }
        return rate;
    }

    private static List<String> parseNames(String option, String text) throws UsageException {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim();
            if (name.isEmpty()) {
                throw new UsageException("option --" + option + " has an empty name in '" + text + "'");
            }
            if (!seen.add(name)) {
                throw new UsageException("option --" + option + " names '" + name + "' twice");
            }
            names.add(name);
        }
        return names;
    }
}
