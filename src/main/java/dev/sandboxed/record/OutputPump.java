package dev.sandboxed.record;

import dev.sandboxed.linux.Errno;
import dev.sandboxed.linux.LinuxException;
import dev.sandboxed.linux.LinuxLibC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Drains one of the traced command's output pipes on its own thread, so a command writing more than a pipe
 * holds never blocks while the tracer thread is busy. Lines go to the caller; raw bytes optionally to a file
 * shared with the other stream's pump.
 */
final class OutputPump implements Runnable {

    private static final int TAIL_LINES = 20;

    private final LinuxLibC libc;
    private final int fd;
    private final OutputLines.Stream stream;
    private final OutputLines lines;
    private final Optional<OutputStream> copy;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread thread;

    OutputPump(LinuxLibC libc, int fd, OutputLines.Stream stream, OutputLines lines, Optional<OutputStream> copy) {
        this.libc = libc;
        this.fd = fd;
        this.stream = stream;
        this.lines = lines;
        this.copy = copy;
        this.thread = new Thread(this, "sandbox-tracer-" + stream.name().toLowerCase(Locale.ROOT));
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Releases the pipe of a pump that will never run, because the command was never started. */
    void closeUnstarted() {
        libc.close(fd);
    }

    /** Waits for end of file, which comes once every process holding the pipe has exited. */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** The last lines seen, for error messages about a launch that failed. */
    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    @Override
    public void run() {
        byte[] buffer = new byte[65536];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                int n;
                try {
                    n = libc.read(fd, buffer, buffer.length);
                } catch (LinuxException e) {
                    if (e.is(Errno.EINTR)) {
                        continue;
                    }
                    break;
                }
                if (n == 0) {
                    break;
                }
                copy(buffer, n);
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line.write(buffer, start, i - start);
                        emit(line);
                        start = i + 1;
                    }
                }
                line.write(buffer, start, n - start);
            }
            if (line.size() > 0) {
                emit(line);
            }
        } finally {
            libc.close(fd);
        }
    }

    private void copy(byte[] buffer, int n) {
        if (copy.isPresent()) {
            OutputStream out = copy.get();
            synchronized (out) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    // The copy is a convenience; a full disk must not stop the traced command's output.
                }
            }
        }
    }

    private void emit(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        synchronized (this) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
        lines.line(stream, text);
    }
}
