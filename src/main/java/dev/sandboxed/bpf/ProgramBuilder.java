package dev.sandboxed.bpf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Assembles a program from instructions and jumps to {@link Label}s. A conditional jump reaches at most 255
 * instructions ahead; when its target is farther, {@link #build()} adds a trampoline right after the jump, where
 * no other path passes: a copy of the target when it is a return (costing nothing at run time), else an
 * unconditional jump, which reaches anywhere. Only the paths through a far jump pay for it.
 */
public final class ProgramBuilder {

    private sealed interface Item permits Fixed, Conditional, Always, Bind {
    }

    private record Fixed(Instruction instruction) implements Item {
    }

    private record Conditional(int code, int k, Label ifTrue, Label ifFalse) implements Item {
    }

    private record Always(Label target) implements Item {
    }

    private record Bind(Label label) implements Item {
    }

    private final List<Item> items = new ArrayList<>();
    private final Set<Label> bound = new HashSet<>();
    private int labelCount;

    public Label newLabel(String name) {
        Objects.requireNonNull(name, "name");
        return new Label(this, name + "#" + labelCount++);
    }

    /** Places a label at the next instruction emitted. */
    public ProgramBuilder bind(Label label) {
        own(label);
        if (!bound.add(label)) {
            throw new IllegalStateException("label " + label + " is already bound");
        }
        items.add(new Bind(label));
        return this;
    }

    /** Emits an instruction whose offsets, if any, are already final. */
    public ProgramBuilder emit(Instruction instruction) {
        items.add(new Fixed(Objects.requireNonNull(instruction, "instruction")));
        return this;
    }

    /** A conditional jump comparing A with {@code k}; {@code operation} is JEQ, JGT, JGE or JSET. */
    public ProgramBuilder jump(int operation, int k, Label ifTrue, Label ifFalse) {
        own(ifTrue);
        own(ifFalse);
        int code = Opcodes.JMP | operation | Opcodes.K;
        if (!Opcodes.isConditionalJump(code) || operation != Opcodes.operation(code)) {
            throw new IllegalArgumentException("0x" + Integer.toHexString(operation) + " is not JEQ, JGT, JGE or JSET");
        }
        items.add(new Conditional(code, k, ifTrue, ifFalse));
        return this;
    }

    public ProgramBuilder jumpAlways(Label target) {
        own(target);
        items.add(new Always(target));
        return this;
    }

    public ProgramBuilder ret(int value) {
        return emit(Instruction.ret(value));
    }

    /** Instructions emitted so far, before any trampolines. */
    public int size() {
        return (int) items.stream().filter(item -> !(item instanceof Bind)).count();
    }

    /**
     * Resolves every label into offsets, adding trampolines where jumps are too far.
     *
     * @throws ProgramTooLargeException when the result exceeds {@link Opcodes#MAX_INSTRUCTIONS}
     */
    public Program build() {
        List<Item> list = new ArrayList<>(items);
        Set<Item> rerouted = Collections.newSetFromMap(new IdentityHashMap<>());
        while (true) {
            Layout layout = new Layout(list);
            if (layout.instructionCount > Opcodes.MAX_INSTRUCTIONS) {
                throw new ProgramTooLargeException(layout.instructionCount, Opcodes.MAX_INSTRUCTIONS);
            }
            Map<Integer, List<Item>> before = new HashMap<>();
            Map<Integer, List<Item>> after = new HashMap<>();
            Map<Integer, Item> replaced = new HashMap<>();
            for (int index = 0; index < list.size(); index++) {
                if (!(list.get(index) instanceof Conditional jump)) {
                    continue;
                }
                int at = layout.positionOfItem[index];
                boolean trueFar = layout.offset(at, jump.ifTrue) > Opcodes.MAX_CONDITIONAL_OFFSET;
                boolean falseFar = layout.offset(at, jump.ifFalse) > Opcodes.MAX_CONDITIONAL_OFFSET;
                if (!trueFar && !falseFar) {
                    continue;
                }
                // A jump may borrow a trampoline once; if later insertions push it out of reach, it gets its own.
                boolean mayReuse = !rerouted.contains(jump);
                Label ifTrue = trueFar ? reroute(jump.ifTrue, index, mayReuse, layout, list, before, after) : jump.ifTrue;
                Label ifFalse = jump.ifFalse;
                if (falseFar) {
                    ifFalse = jump.ifFalse == jump.ifTrue
                            ? ifTrue
                            : reroute(jump.ifFalse, index, mayReuse, layout, list, before, after);
                }
                Conditional replacement = new Conditional(jump.code, jump.k, ifTrue, ifFalse);
                rerouted.add(replacement);
                replaced.put(index, replacement);
            }
            if (replaced.isEmpty()) {
                return Program.of(layout.instructions(list));
            }
            List<Item> next = new ArrayList<>(list.size() + 2 * replaced.size());
            for (int index = 0; index < list.size(); index++) {
                next.addAll(before.getOrDefault(index, List.of()));
                next.add(replaced.getOrDefault(index, list.get(index)));
                next.addAll(after.getOrDefault(index, List.of()));
            }
            list = next;
        }
    }

    /**
     * A label near the jump at {@code jumpIndex} that leads where {@code far} does: an existing trampoline or
     * equal return within reach when allowed, else a new one inserted right after the jump.
     */
    private Label reroute(Label far, int jumpIndex, boolean mayReuse, Layout layout, List<Item> list,
                          Map<Integer, List<Item>> before, Map<Integer, List<Item>> after) {
        Item target = layout.itemAt(far, list);
        while (target instanceof Always always) {
            far = always.target;
            target = layout.itemAt(far, list);
        }
        boolean toReturn = target instanceof Fixed fixed && fixed.instruction.isReturn();
        int at = layout.positionOfItem[jumpIndex];
        if (mayReuse) {
            for (int index = jumpIndex + 1; index < list.size(); index++) {
                Item candidate = list.get(index);
                if (candidate instanceof Bind) {
                    continue;
                }
                if (layout.positionOfItem[index] - at - 1 > Opcodes.MAX_CONDITIONAL_OFFSET) {
                    break;
                }
                boolean same = toReturn
                        ? candidate.equals(target)
                        : candidate instanceof Always always && always.target == far;
                if (same) {
                    Label near = newLabel("near-" + far);
                    bound.add(near);
                    before.computeIfAbsent(index, i -> new ArrayList<>()).add(new Bind(near));
                    return near;
                }
            }
        }
        Label near = newLabel("trampoline-" + far);
        bound.add(near);
        List<Item> inserted = after.computeIfAbsent(jumpIndex, i -> new ArrayList<>());
        inserted.add(new Bind(near));
        inserted.add(toReturn ? target : new Always(far));
        return near;
    }

    private void own(Label label) {
        Objects.requireNonNull(label, "label");
        if (label.owner() != this) {
            throw new IllegalArgumentException("label " + label + " belongs to another builder");
        }
    }

    /** Positions of items and labels for one pass. */
    private static final class Layout {
        final int[] positionOfItem;
        final Map<Label, Integer> positionOfLabel = new IdentityHashMap<>();
        final Map<Label, Integer> itemOfLabel = new IdentityHashMap<>();
        final int instructionCount;

        Layout(List<Item> list) {
            positionOfItem = new int[list.size()];
            int position = 0;
            for (int index = 0; index < list.size(); index++) {
                Item item = list.get(index);
                positionOfItem[index] = position;
                if (item instanceof Bind bind) {
                    positionOfLabel.put(bind.label, position);
                    itemOfLabel.put(bind.label, index);
                } else {
                    position++;
                }
            }
            instructionCount = position;
        }

        int offset(int at, Label label) {
            Integer target = positionOfLabel.get(label);
            if (target == null) {
                throw new IllegalStateException("label " + label + " is used but never bound");
            }
            if (target >= instructionCount) {
                throw new IllegalStateException("label " + label + " is bound after the last instruction");
            }
            int offset = target - at - 1;
            if (offset < 0) {
                throw new IllegalStateException("jump at " + at + " to " + label + " goes backwards; BPF jumps only forward");
            }
            return offset;
        }

        Item itemAt(Label label, List<Item> list) {
            offset(-1, label);
            for (int index = itemOfLabel.get(label); ; index++) {
                if (!(list.get(index) instanceof Bind)) {
                    return list.get(index);
                }
            }
        }

        List<Instruction> instructions(List<Item> list) {
            List<Instruction> out = new ArrayList<>(instructionCount);
            for (int index = 0; index < list.size(); index++) {
                int at = positionOfItem[index];
                Item item = list.get(index);
                if (item instanceof Fixed fixed) {
                    out.add(fixed.instruction);
                } else if (item instanceof Conditional jump) {
                    out.add(new Instruction(jump.code, offset(at, jump.ifTrue), offset(at, jump.ifFalse), jump.k));
                } else if (item instanceof Always always) {
                    out.add(Instruction.jumpAlways(offset(at, always.target)));
                }
            }
            return out;
        }
    }
}
