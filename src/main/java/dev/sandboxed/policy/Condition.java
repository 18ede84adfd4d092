package dev.sandboxed.policy;

import java.util.Objects;

/**
 * One comparison on one argument. Values are stored as the raw bits the kernel sees; for {@link Width#BITS32}
 * only the low 32 bits of the value, mask and argument take part.
 *
 * @param index argument number, 0 to 5
 * @param operator the comparison
 * @param value the right-hand side; for {@link Operator#MASKED_EQ} the value the masked argument must equal
 * @param mask the mask for {@link Operator#MASKED_EQ}; 0 for every other operator
 * @param width how many bits take part
 */
public record Condition(int index, Operator operator, long value, long mask, Width width) implements Comparable<Condition> {

    public static final int MAX_INDEX = 5;

    public Condition {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(width, "width");
        if (index < 0 || index > MAX_INDEX) {
            throw new InvalidPolicyException("argument index " + index + " does not exist: system calls have arguments 0 to 5");
        }
        if (operator != Operator.MASKED_EQ && mask != 0) {
            throw new InvalidPolicyException("only masked equality takes a mask, got " + operator);
        }
        if (width == Width.BITS32) {
            value &= 0xffffffffL;
            mask &= 0xffffffffL;
        }
    }

    public static Condition of(int index, Operator operator, long value, Width width) {
        return new Condition(index, operator, value, 0, width);
    }

    public static Condition masked(int index, long mask, long value, Width width) {
        return new Condition(index, Operator.MASKED_EQ, value, mask, width);
    }

    /** Whether a raw argument register satisfies this condition. */
    public boolean matches(long argument) {
        long arg = width == Width.BITS32 ? argument & 0xffffffffL : argument;
        return switch (operator) {
            case EQ -> arg == value;
            case NE -> arg != value;
            case LT -> Long.compareUnsigned(arg, value) < 0;
            case LE -> Long.compareUnsigned(arg, value) <= 0;
            case GT -> Long.compareUnsigned(arg, value) > 0;
            case GE -> Long.compareUnsigned(arg, value) >= 0;
            case MASKED_EQ -> (arg & mask) == value;
        };
    }

    @Override
    public int compareTo(Condition other) {
        int c = Integer.compare(index, other.index);
        if (c == 0) c = operator.compareTo(other.operator);
        if (c == 0) c = Long.compareUnsigned(value, other.value);
        if (c == 0) c = Long.compareUnsigned(mask, other.mask);
        if (c == 0) c = width.compareTo(other.width);
        return c;
    }

    @Override
    public String toString() {
        String arg = "arg" + index + (width == Width.BITS32 ? ".lo" : "");
        return operator == Operator.MASKED_EQ
                ? "(" + arg + " & 0x" + Long.toHexString(mask) + ") == 0x" + Long.toHexString(value)
                : arg + " " + operator.symbol() + " 0x" + Long.toHexString(value);
    }
}
