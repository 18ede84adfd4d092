package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.Spelling;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of actions and conditions in the policy format (see {@link PolicyFormat} for the grammar). Parsing
 * and formatting live together so that {@code format} always produces what {@code parse} reads back to the same
 * value. Errors carry no location; the format reader adds the line of the entry.
 */
final class RuleSyntax {

    private static final Pattern CALL = Pattern.compile("([a-z-]+)\\(\\s*([^)]*?)\\s*\\)");
    private static final Pattern CONDITION = Pattern.compile(
            "arg(\\d+)(?:\\.(32|64))?\\s*(?:&\\s*(.+?)\\s*==\\s*(.+)|(==|!=|<=|>=|<|>)\\s*(.+))");
    private static final long LOW_WORD = 0xffffffffL;
    private static final long SMALL = 0xffff;

    private RuleSyntax() {
    }

    static Action parseAction(String text) {
        String t = text.strip();
        for (Action.Kind kind : Action.Kind.values()) {
            if (kind != Action.Kind.ERRNO && kind != Action.Kind.TRACE && kind.id().equals(t)) {
                return new Action(kind, 0);
            }
        }
        Matcher call = CALL.matcher(t);
        if (call.matches() && call.group(1).equals(Action.Kind.ERRNO.id())) {
            return Action.errno(errno(call.group(2)));
        }
        if (call.matches() && call.group(1).equals(Action.Kind.TRACE.id())) {
            try {
                return Action.trace(Integer.parseInt(call.group(2)));
            } catch (NumberFormatException e) {
                throw new InvalidPolicyException("trace takes a number from 0 to 65535, got \"" + call.group(2) + "\"");
            }
        }
        List<String> forms = new ArrayList<>();
        for (Action.Kind kind : Action.Kind.values()) {
            forms.add(kind == Action.Kind.ERRNO ? "errno(EPERM)" : kind == Action.Kind.TRACE ? "trace(1)" : kind.id());
        }
        String word = call.matches() ? call.group(1) : t;
        List<String> near = Spelling.nearest(word, forms.stream().map(f -> f.replaceAll("\\(.*", "")).toList(), 1);
        throw new InvalidPolicyException("unknown action \"" + text + "\""
                + (near.isEmpty() ? "" : "; did you mean \"" + near.get(0) + "\"?")
                + " Actions: " + String.join(", ", forms));
    }

    private static int errno(String text) {
        long value;
        try {
            value = Symbols.errno(text);
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException("errno(" + text + "): " + e.getMessage());
        }
        if (value < 0 || value > Action.MAX_ERRNO) {
            throw new InvalidPolicyException("errno " + value + " is out of range: the kernel accepts 0 to "
                    + Action.MAX_ERRNO + ", and a larger value would read as a valid return");
        }
        return (int) value;
    }

    static String formatAction(Action action) {
        return switch (action.kind()) {
            case ERRNO -> "errno(" + Symbols.errnoText(action.data()) + ")";
            case TRACE -> "trace(" + action.data() + ")";
            default -> action.kind().id();
        };
    }

    /** The width a condition on this argument has when the text does not say: the ABI's. */
    static Width abiWidth(Arch arch, String syscall, int index) {
        return SyscallTable.of(arch).isIntArgument(syscall, index) ? Width.BITS32 : Width.BITS64;
    }

    static Condition parseCondition(Arch arch, String syscall, String text) {
        Matcher m = CONDITION.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidPolicyException("cannot read condition \"" + text + "\"; write a comparison such as "
                    + "\"arg0 == AF_UNIX\" or a masked test such as \"arg0 & CLONE_NEWUSER|CLONE_NEWNS == 0\"");
        }
        int index;
        try {
            index = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            index = Integer.MAX_VALUE;
        }
        if (index > Condition.MAX_INDEX) {
            throw new InvalidPolicyException("argument index " + m.group(1) + " does not exist: system calls have "
                    + "arguments 0 to " + Condition.MAX_INDEX);
        }
        Width width = m.group(2) == null ? abiWidth(arch, syscall, index)
                : m.group(2).equals("32") ? Width.BITS32 : Width.BITS64;
        if (m.group(3) != null) {
            long mask = value(arch, m.group(3), width);
            long value = value(arch, m.group(4), width);
            if ((value & ~mask) != 0) {
                throw new InvalidPolicyException("\"" + text + "\" can never hold: the value has bits outside the mask");
            }
            return Condition.masked(index, mask, value, width);
        }
        Operator op = switch (m.group(5)) {
            case "==" -> Operator.EQ;
            case "!=" -> Operator.NE;
            case "<" -> Operator.LT;
            case "<=" -> Operator.LE;
            case ">" -> Operator.GT;
            default -> Operator.GE;
        };
        return Condition.of(index, op, value(arch, m.group(6), width), width);
    }

    private static long value(Arch arch, String expression, Width width) {
        long value = Symbols.evaluate(arch, expression.replaceAll("\\s*\\|\\s*", "|"));
        if (width == Width.BITS32) {
            long high = value >>> 32;
            if (high != 0 && high != LOW_WORD) {
                throw new InvalidPolicyException("\"" + expression + "\" does not fit the 32 bits this argument has; "
                        + "write arg<N>.64 to compare the full register");
            }
            return value & LOW_WORD;
        }
        return value;
    }

    static String formatCondition(Arch arch, String syscall, Condition c) {
        String arg = "arg" + c.index() + (c.width() == abiWidth(arch, syscall, c.index()) ? ""
                : c.width() == Width.BITS32 ? ".32" : ".64");
        if (c.operator() == Operator.MASKED_EQ) {
            String mask = symbolic(arch, syscall, c.index(), c.mask(), c.width()).map(text -> bitsOnly(arch, text))
                    .orElse(hex(c.mask()));
            String value = c.value() == 0 ? "0" : symbolic(arch, syscall, c.index(), c.value(), c.width())
                    .map(text -> bitsOnly(arch, text)).orElse(number(c.value()));
            return arg + " & " + mask + " == " + value;
        }
        return arg + " " + c.operator().symbol() + " "
                + symbolic(arch, syscall, c.index(), c.value(), c.width()).orElse(number(c.value()));
    }

    /** A symbolic spelling only if it reads back to exactly the same bits on this architecture. */
    private static Optional<String> symbolic(Arch arch, String syscall, int index, long value, Width width) {
        return Symbols.describe(arch, syscall, index, value).filter(text -> {
            try {
                return value(arch, text, width) == value;
            } catch (InvalidPolicyException e) {
                return false;
            }
        });
    }

    /**
     * Drops the terms that are zero from a description ({@code O_RDONLY|O_CREAT} names a field value and a flag):
     * in a mask they select no bit and would only mislead.
     */
    private static String bitsOnly(Arch arch, String text) {
        List<String> terms = new ArrayList<>(List.of(text.split("\\|")));
        if (terms.size() > 1) {
            terms.removeIf(term -> Symbols.evaluate(arch, term) == 0);
        }
        return String.join("|", terms);
    }

    private static String number(long value) {
        return value >= 0 && value <= SMALL ? Long.toString(value) : hex(value);
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value).toLowerCase(Locale.ROOT);
    }
}
