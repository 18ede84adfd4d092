package dev.sandboxed.record;

import dev.sandboxed.policy.PolicyFiles;
import dev.sandboxed.policy.Recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Where runs end up: one place that knows how to add a run to a recording file that others may be writing too. */
public final class RecordingStore {

    private RecordingStore() {
    }

    /**
     * Writes the run's recording atomically; with {@code append}, merges it into the recording already in
     * {@code file} while holding a lock on {@code file.lock}, so concurrent writers never lose a run.
     */
    public static void write(Path file, Recording recording, boolean append) {
        if (!append) {
            PolicyFiles.writeRecording(file, recording);
            return;
        }
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            Recording merged = Files.exists(file) ? PolicyFiles.readRecording(file).merge(recording) : recording;
            PolicyFiles.writeRecording(file, merged);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }


    /** Every {@code recording*.json} in {@code directory} (one per traced run or forked test JVM), sorted. */
    public static List<Path> in(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith("recording") && name.endsWith(".json") && Files.isRegularFile(f);
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The recordings in {@code directory} merged into one, if there are any. */
    public static Optional<Recording> mergedIn(Path directory) {
        return in(directory).stream().map(PolicyFiles::readRecording).reduce(Recording::merge);
    }
}
