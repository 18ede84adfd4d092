package dev.sandboxed.goals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A console that keeps what it was told, and echoes it so a failing test's log shows the run. */
final class RecordingConsole implements Console {

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(String line) {
        lines.add(line);
        System.out.println(line);
    }

    @Override
    public void warn(String line) {
        lines.add("WARNING: " + line);
        System.out.println("WARNING: " + line);
    }

    String text() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
