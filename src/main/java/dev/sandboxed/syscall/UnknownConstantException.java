package dev.sandboxed.syscall;

import java.util.List;
import java.util.Objects;

/** A policy named a constant this architecture does not know. The message says what was meant, if we can tell. */
public final class UnknownConstantException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String symbol;
    private final Arch arch;
    private final List<String> suggestions;

    public UnknownConstantException(String symbol, Arch arch, List<String> suggestions, List<Arch> knownOn) {
        super(message(symbol, arch, suggestions, knownOn));
        this.symbol = Objects.requireNonNull(symbol, "symbol");
        this.arch = Objects.requireNonNull(arch, "arch");
        this.suggestions = List.copyOf(suggestions);
    }

    public String symbol() {
        return symbol;
    }

    public Arch arch() {
        return arch;
    }

    /** Known names nearest to the unknown one, best first; may be empty. */
    public List<String> suggestions() {
        return suggestions;
    }

    private static String message(String symbol, Arch arch, List<String> suggestions, List<Arch> knownOn) {
        StringBuilder m = new StringBuilder("unknown constant '").append(symbol).append("' for ").append(arch.id());
        if (!knownOn.isEmpty()) {
            m.append(" (it exists only on ")
                    .append(String.join(", ", knownOn.stream().map(Arch::id).toList()))
                    .append("; give this architecture its own rule)");
        } else if (suggestions.isEmpty()) {
            m.append("; no similar name is known: write the number instead, e.g. 0x40");
        } else {
            m.append("; did you mean ").append(String.join(", ", suggestions)).append('?');
        }
        return m.toString();
    }
}
