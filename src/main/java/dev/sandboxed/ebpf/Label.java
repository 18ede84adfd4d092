package dev.sandboxed.ebpf;

/** A jump target of one {@link Assembler}, bound to a position with {@link Assembler#bind}. */
public final class Label {

    private final String name;

    Label(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
