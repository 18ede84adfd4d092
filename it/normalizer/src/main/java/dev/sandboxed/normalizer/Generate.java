package dev.sandboxed.normalizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Command-line front of {@link SyntheticRecording}:
 * {@code generate --out FILE --channels N --seconds S --rate HZ [--seed X]}. Reachable as this class's
 * {@code main} and as the {@code generate} subcommand of the jar.
 */
public final class Generate {
    static final String USAGE = "usage: generate --out FILE --channels N --seconds S --rate HZ [--seed X]";

    private Generate() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Args parsed = Args.parse(args, Set.of("out", "channels", "seconds", "rate", "seed"), Set.of());
            Path file = Path.of(parsed.required("out"));
            parsed.required("channels");
            parsed.required("seconds");
            parsed.required("rate");
            int channels = (int) parsed.longValue("channels", 1, 4096, 0);
            long seconds = parsed.longValue("seconds", 1, 1_000_000_000L, 0);
            int rate = (int) parsed.longValue("rate", 1, 65_536, 0);
            long seed = parsed.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE, 1);
            if (2L * rate * channels > Integer.MAX_VALUE / 2) {
                throw new UsageException("--channels " + channels + " at --rate " + rate
                        + " makes data records too large; lower one of them");
            }
            SyntheticRecording.write(file, channels, seconds, rate, seed);
            out.println("wrote " + file + " (" + channels + " channels, " + seconds + " s at " + rate + " Hz, seed "
                    + seed + ")");
            return Main.OK;
        } catch (UsageException e) {
            err.println("generate: " + e.getMessage());
            err.println(USAGE);
            return Main.USAGE;
        } catch (IOException e) {
            err.println("generate: cannot write: " + e);
            return Main.OUTPUT_FAILED;
        }
    }
}
