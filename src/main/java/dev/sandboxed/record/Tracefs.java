package dev.sandboxed.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tracing filesystem, where tracepoint ids and record layouts are published. Found at
 * {@code /sys/kernel/tracing} or {@code /sys/kernel/debug/tracing}; when neither is mounted, it is mounted at the
 * first (which needs root, as eBPF recording does anyway).
 */
final class Tracefs {

    private static final List<Path> PLACES = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));
    private static final Pattern FIELD = Pattern.compile("field:[^;]*?([A-Za-z_][A-Za-z_0-9]*)(\\[[^;]*\\])?;\\s*offset:(\\d+);");

    private final Path root;

    private Tracefs(Path root) {
        this.root = root;
    }

    /** The mounted tracefs, mounting it when absent. */
    static Tracefs locate() {
        for (Path place : PLACES) {
            if (Files.isDirectory(place.resolve("events"))) {
                return new Tracefs(place);
            }
        }
        Path target = PLACES.get(0);
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tracefs", "tracefs", target.toString())
                    .redirectErrorStream(true).start();
            String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0 && Files.isDirectory(target.resolve("events"))) {
                return new Tracefs(target);
            }
            throw new EbpfUnavailableException("tracefs is not mounted and mounting it at " + target + " failed"
                    + (said.isEmpty() ? "" : ": " + said));
        } catch (IOException e) {
            throw new EbpfUnavailableException("tracefs is not mounted and mount(8) could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EbpfUnavailableException("interrupted while mounting tracefs", e);
        }
    }

    Path root() {
        return root;
    }

    /** The tracepoint {@code category/name}, with its id and field offsets. */
    Tracepoint tracepoint(String category, String name) {
        Path dir = root.resolve("events").resolve(category).resolve(name);
        try {
            long id = Long.parseLong(Files.readString(dir.resolve("id")).strip());
            Map<String, Integer> offsets = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("format"), StandardCharsets.UTF_8)) {
                Matcher field = FIELD.matcher(line);
                if (field.find()) {
                    offsets.put(field.group(1), Integer.parseInt(field.group(3)));
                }
            }
            return new Tracepoint(category, name, id, offsets);
        } catch (IOException | NumberFormatException e) {
            throw new EbpfUnavailableException("cannot read tracepoint " + category + "/" + name + " under " + root
                    + " (" + e.getMessage() + "); the kernel needs CONFIG_FTRACE_SYSCALLS and CONFIG_BPF_EVENTS", e);
        }
    }
}
