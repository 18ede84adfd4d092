package dev.sandboxed.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The uid and gid the container runs as, chosen together with the output directory's owner. The application must
 * not run as root, yet it must be able to write its output: a build running as an ordinary user lends the
 * container its own ids, so the output directory is already writable and the files come back owned by the user;
 * a build running as root (CI, the usual Docker host) runs the container as {@code nobody} (65534) and hands the
 * output directory to {@code nobody}, which root can still read and clean up.
 */
public record ContainerUser(int uid, int gid) {

    public static final int NOBODY = 65534;

    /** The user for a run whose only writable place is {@code outputDirectory}, which is prepared accordingly. */
    public static ContainerUser forOutput(Optional<Path> outputDirectory) {
        return forOutputs(outputDirectory.stream().toList());
    }

    /** As {@link #forOutput}, for a container writing to several directories. */
    public static ContainerUser forOutputs(List<Path> outputDirectories) {
        int callerUid = attribute("unix:uid");
        int callerGid = attribute("unix:gid");
        if (callerUid != 0) {
            return new ContainerUser(callerUid, callerGid);
        }
        ContainerUser nobody = new ContainerUser(NOBODY, NOBODY);
        outputDirectories.forEach(nobody::takeOwnership);
        return nobody;
    }

    /** The {@code --user} value. */
    public String dockerArgument() {
        return uid + ":" + gid;
    }

    private void takeOwnership(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.setAttribute(directory, "unix:uid", uid);
            Files.setAttribute(directory, "unix:gid", gid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand the output directory " + directory + " to uid " + uid
                    + ": " + e.getMessage(), e);
        }
    }

    /** This process's effective ids, read from the owner of {@code /proc/self}, which the kernel sets to them. */
    private static int attribute(String name) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this process's user id from /proc/self: " + e.getMessage(), e);
        }
    }
}
