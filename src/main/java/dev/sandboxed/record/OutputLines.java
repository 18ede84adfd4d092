package dev.sandboxed.record;

/** Receives the traced command's output line by line, from the threads that drain its pipes. */
@FunctionalInterface
public interface OutputLines {

    enum Stream {
        STDOUT, STDERR
    }

    void line(Stream stream, String line);
}
