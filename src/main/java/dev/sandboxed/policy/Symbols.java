package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.Constants;
import dev.sandboxed.syscall.Equivalent;
import dev.sandboxed.syscall.Equivalents;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The policy formats' one doorway to the syscall package's symbolic constants and cross-architecture
 * equivalents, turning its exceptions into {@link InvalidPolicyException}s that the readers then locate.
 */
final class Symbols {

    /** Errno values are the same on every supported architecture (asm-generic), so one table names them. */
    private static final Arch ERRNO_SOURCE = Arch.X86_64;

    /** Errno value to name: the alphabetically first of aliases, so the choice is stable. */
    private static final Map<Long, String> ERRNO_NAMES = errnoNames();

    private Symbols() {
    }

    static long evaluate(Arch arch, String expression) {
        try {
            return Constants.of(arch).evaluate(expression);
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(e.getMessage());
        }
    }

    static Optional<String> describe(Arch arch, String syscall, int index, long value) {
        return Constants.of(arch).describe(syscall, index, value);
    }

    /** An errno written as a symbol ({@code EPERM}) or a number. */
    static long errno(String text) {
        Constants constants = Constants.of(ERRNO_SOURCE);
        if (!text.isEmpty() && Character.isLetter(text.charAt(0))
                && constants.value(text).isPresent() && !constants.group(text).orElse("").equals("errno")) {
            throw new InvalidPolicyException(text + " is not an errno name; use one such as EPERM or ENOSYS, or a number");
        }
        return evaluate(ERRNO_SOURCE, text);
    }

    static String errnoText(int errno) {
        return ERRNO_NAMES.getOrDefault((long) errno, Integer.toString(errno));
    }

    /** The counterpart on {@code to} of a syscall {@code from} has; see {@link Equivalents#translate}. */
    static Optional<Equivalent> translate(String syscall, Arch from, Arch to) {
        return Equivalents.translate(syscall, from, to);
    }

    /** Why a syscall has no counterpart on {@code to}, for the warning that drops its rules there. */
    static String absence(String syscall, Arch from, Arch to) {
        return Equivalents.absence(syscall, from, to).orElse("it has no counterpart there");
    }

    private static Map<Long, String> errnoNames() {
        Constants constants = Constants.of(ERRNO_SOURCE);
        Map<Long, String> names = new TreeMap<>();
        for (String symbol : constants.symbols()) {
            if (constants.group(symbol).orElse("").equals("errno")) {
                names.putIfAbsent(constants.value(symbol).orElseThrow(), symbol);
            }
        }
        return Collections.unmodifiableMap(names);
    }
}
