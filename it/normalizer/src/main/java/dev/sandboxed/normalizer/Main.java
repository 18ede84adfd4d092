package dev.sandboxed.normalizer;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Command-line entry point: {@code normalize} (the default) or {@code generate}. Exit codes: 0 success, 1 an
 * output could not be written, 2 usage error, 3 bad input.
 */
public final class Main {
    static final int OK = 0;
    static final int OUTPUT_FAILED = 1;
    static final int USAGE = 2;
    static final int BAD_INPUT = 3;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns its exit code, printing only to the streams given. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("generate")) {
            return Generate.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        String[] options = args.length > 0 && args[0].equals("normalize")
                ? Arrays.copyOfRange(args, 1, args.length)
                : args;
        if (options.length == 1 && (options[0].equals("--help") || options[0].equals("-h"))) {
            out.println(Options.USAGE);
            return OK;
        }
        try {
            ChannelFilters filters = ChannelFilters.discover(Main.class.getClassLoader());
            Options parsed = Options.parse(options);
            List<ChannelFilter> chosen = filters.select(parsed.filters());
            Optional<Gzip> gzip = Optional.empty();
            if (parsed.gzip()) {
                gzip = Gzip.find(System.getenv("PATH"));
                if (gzip.isEmpty()) {
                    err.println("normalize: --gzip runs the gzip program, but there is no executable gzip on PATH ("
                            + System.getenv("PATH") + "); install gzip or leave out --gzip");
                    return USAGE;
                }
            }
            List<FileOutcome> outcomes = new Normalizer(parsed, gzip, chosen).run();
            int code = OK;
            for (FileOutcome outcome : outcomes) {
                (outcome.succeeded() ? out : err).println(outcome.message());
                code = Math.max(code, outcome.exitCode());
            }
            if (code == USAGE) {
                err.println(Options.USAGE);
            }
            return code;
        } catch (UsageException e) {
            err.println("normalize: " + e.getMessage());
            err.println(Options.USAGE);
            return USAGE;
        } catch (IOException e) {
            err.println("normalize: " + e);
            return OUTPUT_FAILED;
        }
    }
}
