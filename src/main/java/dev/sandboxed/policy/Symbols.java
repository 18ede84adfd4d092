package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;

import java.util.List;
import java.util.Optional;

/**
 * STUB until h/sys lands Constants and Equivalents: the policy package's one doorway to symbolic constants and
 * cross-architecture equivalents.
 */
final class Symbols {

    enum Exactness { IDENTICAL, EXACT, SUPERSET }

    record Translation(List<String> names, Exactness exactness) {
    }

    private Symbols() {
    }

    static long evaluate(Arch arch, String expression) {
        long result = 0;
        for (String term : expression.split("\\|")) {
            String t = term.strip();
            try {
                result |= t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new InvalidPolicyException("unknown constant " + t);
            }
        }
        return result;
    }

    static Optional<String> describe(Arch arch, String syscall, int index, long value) {
        return Optional.empty();
    }

    static int errno(String text) {
        return (int) evaluate(Arch.X86_64, text);
    }

    static String errnoText(int errno) {
        return Integer.toString(errno);
    }

    static Optional<Translation> translate(String syscall, Arch from, Arch to) {
        return Optional.empty();
    }
}
