package dev.sandboxed.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Turns what a complain-mode container wrote to its own root filesystem ({@code docker diff}) into file violations:
 * in enforce mode the root is read-only, so each such write would have failed. Left out are the mount points the
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

    /** Whether {@code path} is {@code ancestor} or beneath it. */
    private static boolean beneath(String path, String ancestor) {
        return path.equals(ancestor) || path.startsWith(ancestor.endsWith("/") ? ancestor : ancestor + "/");
    }
}
