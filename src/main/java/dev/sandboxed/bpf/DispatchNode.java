package dev.sandboxed.bpf;

/** A node of the search tree over syscall numbers; branches compare the number with a constant. */
sealed interface DispatchNode permits DispatchNode.Leaf, DispatchNode.Branch {

    /** @param target index into the compiler's list of targets */
    record Leaf(int target) implements DispatchNode {
    }

    /**
     * @param operation JEQ, JGE or JSET
     * @param constant the 32-bit operand
     */
    record Branch(int operation, int constant, DispatchNode ifTrue, DispatchNode ifFalse) implements DispatchNode {
    }
}
