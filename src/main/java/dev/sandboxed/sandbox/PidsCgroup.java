package dev.sandboxed.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A cgroup of its own for one native run, with a pids limit: the native runtime's answer to a fork bomb, as
 * {@code --pids-limit} is Docker's. The launcher moves itself in before it executes the command, so everything the
 * command starts is counted, threads included, and the run's processes can be found (and killed) by their cgroup
 * afterwards; the kernel log's records are attributed to the run by the same cgroup name.
 *
 * <p>Creating a cgroup needs write access to a pids hierarchy: root, or a delegated cgroup v2 subtree. Either the
 * v1 {@code pids} hierarchy or the v2 unified one is used, whichever has the pids controller for this process.
 */
final class PidsCgroup implements AutoCloseable {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path OWN_CGROUPS = Path.of("/proc/self/cgroup");
    private static final int KILL_ROUNDS = 50;

    private final Path directory;

    private PidsCgroup(Path directory) {
        this.directory = directory;
    }

    /**
     * Creates the cgroup {@code name} beneath this process's own pids cgroup, limited to {@code limit} tasks.
     *
     * @throws IOException saying why no such cgroup can be made here (the message is meant for the user)
     */
    static PidsCgroup create(String name, int limit) throws IOException {
        Objects.requireNonNull(name, "name");
        if (limit < 1) {
            throw new IllegalArgumentException("pids limit must be positive, got " + limit);
        }
        Optional<Hierarchy> hierarchy = hierarchy();
        if (hierarchy.isEmpty()) {
            throw new IOException("this system mounts no cgroup hierarchy with the pids controller");
        }
        Path parent = hierarchy.get().ownCgroup();
        Path directory = parent.resolve(name);
        try {
            if (hierarchy.get().unified()) {
                enablePidsFor(parent);
            }
            Files.createDirectory(directory);
        } catch (IOException e) {
            throw new IOException("cannot create a cgroup in " + parent + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); run as root or in a delegated cgroup", e);
        }
        PidsCgroup cgroup = new PidsCgroup(directory);
        try {
            Files.writeString(directory.resolve("pids.max"), Integer.toString(limit));
        } catch (IOException e) {
            cgroup.close();
            throw new IOException("cannot set " + directory.resolve("pids.max") + ": " + e.getMessage(), e);
        }
        return cgroup;
    }

    Path directory() {
        return directory;
    }

    /** The directory's name, which appears in {@code /proc/PID/cgroup} of every member process. */
    String name() {
        return directory.getFileName().toString();
    }

    /** Whether the limit refused a fork or clone at some point during the run. */
    boolean limitReached() {
        try {
            for (String line : Files.readAllLines(directory.resolve("pids.events"))) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length == 2 && fields[0].equals("max") && Long.parseLong(fields[1]) > 0) {
                    return true;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** Kills every process still in the cgroup (a background child the command left behind), then removes it. */
    @Override
    public void close() {
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<Long> members = members();
            if (members.isEmpty()) {
                break;
            }
            members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            sleep(Duration.ofMillis(round < 5 ? 2 : 20));
        }
        for (int round = 0; round < KILL_ROUNDS; round++) {
            try {
                Files.deleteIfExists(directory);
                return;
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                // EBUSY while the last killed task is still being torn down.
                sleep(Duration.ofMillis(20));
            }
        }
    }

    private List<Long> members() {
        try {
            return Files.readAllLines(directory.resolve("cgroup.procs")).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
    }

    /** A mounted hierarchy that has the pids controller, and this process's cgroup in it. */
    private record Hierarchy(Path ownCgroup, boolean unified) {
    }

    private static Optional<Hierarchy> hierarchy() throws IOException {
        List<String> mounts = Files.readAllLines(MOUNTINFO);
        List<String> own = Files.readAllLines(OWN_CGROUPS);
        for (String mount : mounts) {
            // id parent major:minor root mount-point options ... - fstype source super-options
            int separator = mount.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] before = mount.substring(0, separator).split(" ");
            String[] after = mount.substring(separator + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                continue;
            }
            Path point = Path.of(unescape(before[4]));
            if (after[0].equals("cgroup") && List.of(after[2].split(",")).contains("pids")) {
                Optional<String> path = ownPath(own, line -> line.matches("\\d+:([^:]*,)?pids(,[^:]*)?:.*"));
                if (path.isPresent()) {
                    return Optional.of(new Hierarchy(resolve(point, path.get()), false));
                }
            }
            if (after[0].equals("cgroup2")) {
                Optional<String> path = ownPath(own, line -> line.startsWith("0::"));
                if (path.isPresent()) {
                    Path cgroup = resolve(point, path.get());
                    Path controllers = cgroup.resolve("cgroup.controllers");
                    if (Files.isReadable(controllers)
                            && List.of(Files.readString(controllers).strip().split("\\s+")).contains("pids")) {
                        return Optional.of(new Hierarchy(cgroup, true));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> ownPath(List<String> own, Predicate<String> line) {
        return own.stream().filter(line).findFirst().map(l -> l.substring(l.indexOf(':', l.indexOf(':') + 1) + 1));
    }

    private static Path resolve(Path mountPoint, String cgroupPath) {
        String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        return relative.isEmpty() ? mountPoint : mountPoint.resolve(relative);
    }

    /** In cgroup v2 a child gets the pids controller only once its parent lists it in {@code subtree_control}. */
    private static void enablePidsFor(Path parent) throws IOException {
        Path control = parent.resolve("cgroup.subtree_control");
        if (!List.of(Files.readString(control).strip().split("\\s+")).contains("pids")) {
            Files.writeString(control, "+pids");
        }
    }

    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
