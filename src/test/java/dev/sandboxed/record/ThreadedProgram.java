package dev.sandboxed.record;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JVM program with threads doing file I/O, traced by the tests as a real multithreaded JVM. */
public final class ThreadedProgram {

    private ThreadedProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sandbox-threads");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path file = dir.resolve("t" + i);
            Thread thread = new Thread(() -> {
                try {
                    for (int round = 0; round < 20; round++) {
                        Files.writeString(file, "round " + round);
                        Files.readString(file);
                    }
                    Files.delete(file);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Files.delete(dir);
        System.out.println("threads done");
    }
}
