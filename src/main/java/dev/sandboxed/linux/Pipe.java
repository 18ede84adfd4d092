package dev.sandboxed.linux;

/** The two ends of a pipe as raw file descriptors. */
public record Pipe(int readFd, int writeFd) {
}
