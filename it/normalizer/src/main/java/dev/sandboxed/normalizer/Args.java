package dev.sandboxed.normalizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} arguments, checked against what a command accepts. Both the
 * normalizer and the generator parse their command lines through this so that both reject the same mistakes
 * (unknown option, repeated option, missing value) with the same words.
 */
final class Args {
    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param valued options that take a value, without the leading dashes
     * @param flags options that take none
     */
    static Args parse(String[] args, Set<String> valued, Set<String> flags) throws UsageException {
        Objects.requireNonNull(args, "args");
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = Objects.requireNonNull(args[i], "args[" + i + "]");
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'; options start with --");
            }
            String name = arg.substring(2);
            boolean isFlag = flags.contains(name);
            if (!isFlag && !valued.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            if (values.containsKey(name)) {
                throw new UsageException("option --" + name + " is given twice; give it once");
            }
            if (isFlag) {
                values.put(name, "");
            } else {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                values.put(name, args[++i]);
            }
        }
        return new Args(values);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String required(String name) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            throw new UsageException("option --" + name + " is required");
        }
        return value;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when the option is absent. */
    long longValue(String name, long min, long max, long fallback) throws UsageException {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " needs a whole number, not '" + text + "'");
        }
        if (value < min || value > max) {
            throw new UsageException("option --" + name + " must be between " + min + " and " + max
                    + ", not " + value);
        }
        return value;
    }
}
