package dev.sandboxed.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns what a complain-mode container wrote where enforce mode refuses writes into file violations: its own root
 * filesystem ({@code docker diff}; read-only in enforce mode) and its inputs (read-only mounts in enforce mode, seen
 * through copy-on-write overlays in complain mode). Left out are the mount points the
 * engine itself created (and the directories above them), the home directory of the user the complain run used,
 * and a directory whose change is only that something beneath it changed.
 */
public final class ContainerWrites {

    private ContainerWrites() {
    }

    /**
     * @param mountTargets the container paths of the run's mounts
     * @param ignoredTrees trees whose changes come from how the complain run differs from enforce (uid 0's home)
     */
    public static List<FilesystemViolation> outsideMounts(List<ContainerChange> changes, Collection<String> mountTargets,
                                                          Set<String> ignoredTrees) {
        List<FilesystemViolation> violations = new ArrayList<>();
        // docker diff reports normalized paths; a mount configured as a/../b must be compared as b.
        List<String> targets = mountTargets.stream().map(target -> Path.of(target).normalize().toString()).toList();
        for (ContainerChange change : changes) {
            String path = change.path();
            if (targets.stream().anyMatch(target -> beneath(target, path))
                    || ignoredTrees.stream().anyMatch(tree -> beneath(path, tree))
                    || changes.stream().anyMatch(other -> other != change && beneath(other.path(), path))) {
                continue;
            }
            String access = switch (change.kind()) {
                case "A" -> "create";
                case "D" -> "delete";
                default -> "write";
            };
            violations.add(new FilesystemViolation(path, access, "", 1, "read-only root", ""));
        }
        return violations;
    }

    /** Makes the overlays' directories, which must exist before the engine mounts them. */
    public static void prepareOverlays(List<Mount> mounts) {
        for (Mount mount : mounts) {
            if (mount.scratch().isPresent()) {
                try {
                    Files.createDirectories(mount.scratch().get().resolve("upper"));
                    Files.createDirectories(mount.scratch().get().resolve("work"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot prepare " + mount.scratch().get() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Removes overlay scratch under {@code root}: what the container wrote there was listed and must not pile up. */
    public static void discardOverlays(Path root) {
        JavaRuntimes.deleteRecursively(root);
    }

    /**
     * What the container wrote through the copy-on-write inputs ({@link Mount#copyOnWrite}), as file violations at
     * their container paths: each would have been refused by the read-only input mount in enforce mode. The overlay
     * keeps a created or changed file in its upper directory, and a deleted one as a character device 0/0 there;
     * directories it only copied up to hold such a file are not writes of their own.
     */
    public static List<FilesystemViolation> inOverlays(List<Mount> mounts) {
        List<FilesystemViolation> violations = new ArrayList<>();
        for (Mount mount : mounts) {
            if (mount.scratch().isEmpty()) {
                continue;
            }
            Path upper = mount.scratch().get().resolve("upper");
            try (Stream<Path> written = Files.walk(upper)) {
                for (Path path : written.sorted().toList()) {
                    Path relative = upper.relativize(path);
                    if (relative.toString().isEmpty()) {
                        continue;
                    }
                    boolean inLower = Files.exists(mount.source().resolve(relative), LinkOption.NOFOLLOW_LINKS);
                    String access;
                    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path,
                            LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path)) {
                        access = "delete";
                    } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        if (inLower) {
                            continue;
                        }
                        access = "create";
                    } else {
                        access = inLower ? "write" : "create";
                    }
                    violations.add(new FilesystemViolation(mount.target() + "/" + relative, access, "", 1,
                            "read-only input mount", ""));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read what the container wrote in " + upper + ": "
                        + e.getMessage(), e);
            }
        }
        return violations;
    }

    /** Whether {@code path} is {@code ancestor} or beneath it. */
    private static boolean beneath(String path, String ancestor) {
        return path.equals(ancestor) || path.startsWith(ancestor.endsWith("/") ? ancestor : ancestor + "/");
    }
}
