package dev.sandboxed.bpf;

/**
 * A place in a program under construction. Jumps name labels instead of offsets, so code can be laid out first
 * and the offsets, and any trampolines they need, worked out once everything is placed.
 */
public final class Label {

    private final ProgramBuilder owner;
    private final String name;

    Label(ProgramBuilder owner, String name) {
        this.owner = owner;
        this.name = name;
    }

    ProgramBuilder owner() {
        return owner;
    }

    @Override
    public String toString() {
        return name;
    }
}
