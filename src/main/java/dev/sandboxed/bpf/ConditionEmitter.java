package dev.sandboxed.bpf;

import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Width;

import java.util.Optional;

import static dev.sandboxed.bpf.Opcodes.AND;
import static dev.sandboxed.bpf.Opcodes.JEQ;
import static dev.sandboxed.bpf.Opcodes.JGE;
import static dev.sandboxed.bpf.Opcodes.JGT;

/**
 * Compiles one argument condition into jumps to a pass and a fail label. BPF compares 32-bit words, so a 64-bit
 * comparison looks at the high word first and only at the low word when the high words are equal; a
 * {@link Width#BITS32} condition reads the low word alone, as the kernel does for an {@code int} argument.
 */
final class ConditionEmitter {

    /** What A holds: the byte offset of an unmasked word of seccomp_data, or {@link #UNKNOWN}. */
    static final int UNKNOWN = -1;

    /** A's content where control reaches the pass label and where it reaches the fail label. */
    record Registers(int atPass, int atFail) {
    }

    private final ProgramBuilder builder;
    private int accumulator;

    private ConditionEmitter(ProgramBuilder builder, int accumulator) {
        this.builder = builder;
        this.accumulator = accumulator;
    }

    /** Offset in seccomp_data of an argument's low word; the high word follows (every target is little-endian). */
    static int lowWord(int index) {
        return 16 + 8 * index;
    }

    /** True or false for a condition that holds for every argument or for none, so no code is needed. */
    static Optional<Boolean> constant(Condition condition) {
        long all = condition.width() == Width.BITS32 ? 0xffff_ffffL : -1L;
        long value = condition.value();
        return switch (condition.operator()) {
            case GE -> value == 0 ? Optional.of(true) : Optional.empty();
            case LT -> value == 0 ? Optional.of(false) : Optional.empty();
            case LE -> value == all ? Optional.of(true) : Optional.empty();
            case GT -> value == all ? Optional.of(false) : Optional.empty();
            case MASKED_EQ -> (value & ~condition.mask()) != 0 ? Optional.of(false)
                    : condition.mask() == 0 ? Optional.of(true) : Optional.empty();
            case EQ, NE -> Optional.empty();
        };
    }

    /**
     * Emits a condition that is not {@link #constant}.
     *
     * @param accumulator what A holds on entry
     */
    static Registers emit(ProgramBuilder builder, Condition condition, Label pass, Label fail, int accumulator) {
        return new ConditionEmitter(builder, accumulator).emit(condition, pass, fail);
    }

    private Registers emit(Condition condition, Label pass, Label fail) {
        int low = lowWord(condition.index());
        boolean wide = condition.width() == Width.BITS64;
        int valueLow = (int) condition.value();
        int valueHigh = (int) (condition.value() >>> 32);
        switch (condition.operator()) {
            case EQ, NE -> {
                boolean equal = condition.operator() == Operator.EQ;
                Label onMatch = equal ? pass : fail;
                Label onMismatch = equal ? fail : pass;
                if (wide) {
                    Label lowHalf = builder.newLabel("low-word");
                    load(low + 4);
                    builder.jump(JEQ, valueHigh, lowHalf, onMismatch).bind(lowHalf);
                    load(low);
                    builder.jump(JEQ, valueLow, onMatch, onMismatch);
                    return equal ? new Registers(low, UNKNOWN) : new Registers(UNKNOWN, low);
                }
                load(low);
                builder.jump(JEQ, valueLow, onMatch, onMismatch);
                return new Registers(low, low);
            }
            case GT, GE, LT, LE -> {
                boolean above = condition.operator() == Operator.GT
                        || condition.operator() == Operator.GE;
                boolean strict = condition.operator() == Operator.GT
                        || condition.operator() == Operator.LE;
                // The low-word test: JGT for > and <=, JGE for >= and <; its truth means "above" for GT/GE.
                int lowTest = strict ? JGT : JGE;
                Label whenAbove = above ? pass : fail;
                Label whenBelow = above ? fail : pass;
                if (wide) {
                    Label highEqual = builder.newLabel("high-equal");
                    load(low + 4);
                    if (valueHigh == -1) {
                        builder.jump(JEQ, valueHigh, highEqual, whenBelow);
                    } else if (valueHigh == 0) {
                        builder.jump(JGT, 0, whenAbove, highEqual);
                    } else {
                        Label notAbove = builder.newLabel("high-not-above");
                        builder.jump(JGT, valueHigh, whenAbove, notAbove).bind(notAbove);
                        builder.jump(JEQ, valueHigh, highEqual, whenBelow);
                    }
                    builder.bind(highEqual);
                    load(low);
                    builder.jump(lowTest, valueLow, whenAbove, whenBelow);
                    return new Registers(UNKNOWN, UNKNOWN);
                }
                load(low);
                builder.jump(lowTest, valueLow, whenAbove, whenBelow);
                return new Registers(low, low);
            }
            case MASKED_EQ -> {
                int maskLow = (int) condition.mask();
                int maskHigh = (int) (condition.mask() >>> 32);
                boolean highPart = wide && maskHigh != 0;
                boolean lowPart = maskLow != 0;
                if (highPart) {
                    Label next = lowPart ? builder.newLabel("low-word") : pass;
                    load(low + 4);
                    masked(maskHigh);
                    builder.jump(JEQ, valueHigh, next, fail);
                    if (!lowPart) {
                        return new Registers(accumulator, accumulator);
                    }
                    builder.bind(next);
                }
                load(low);
                masked(maskLow);
                builder.jump(JEQ, valueLow, pass, fail);
                return highPart ? new Registers(accumulator, UNKNOWN) : new Registers(accumulator, accumulator);
            }
            default -> throw new IllegalArgumentException("unknown operator " + condition.operator());
        }
    }

    private void load(int offset) {
        if (accumulator != offset) {
            builder.emit(Instruction.loadWord(offset));
            accumulator = offset;
        }
    }

    private void masked(int mask) {
        if (mask != -1) {
            builder.emit(Instruction.alu(AND, mask));
            accumulator = UNKNOWN;
        }
    }
}
