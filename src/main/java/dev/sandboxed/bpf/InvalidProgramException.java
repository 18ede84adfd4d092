package dev.sandboxed.bpf;

/** A program the kernel would refuse to load, or that cannot run; the message names the instruction. */
public final class InvalidProgramException extends RuntimeException {

    public InvalidProgramException(String message) {
        super(message);
    }
}
