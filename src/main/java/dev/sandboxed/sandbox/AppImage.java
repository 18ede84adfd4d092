package dev.sandboxed.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image ready to run the application.
 *
 * @param tag the name to run it by
 * @param javaExecutable the {@code java} launcher's path inside the image; empty for an image without Java
 * @param classpath the classpath entries' paths inside the image, in the original order
 * @param reused true when an identical image was already loaded and nothing was imported
 * @param archiveBytes size of the root filesystem archive the tag was derived from
 * @param assemblyTime wall-clock time spent making (or finding) the image
 * @param warnings things the user should know: unresolved libraries, a module guess
 */
public record AppImage(String tag, Optional<String> javaExecutable, List<String> classpath, boolean reused, long archiveBytes,
                       Duration assemblyTime, List<String> warnings) {

    public AppImage {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(javaExecutable, "javaExecutable");
        classpath = List.copyOf(Objects.requireNonNull(classpath, "classpath"));
        Objects.requireNonNull(assemblyTime, "assemblyTime");
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }

    /** The command line that starts {@code mainClass} inside the image. */
    public List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.orElseThrow(() -> new IllegalStateException(tag + " holds no Java runtime")));
        command.addAll(jvmOptions);
        if (!classpath.isEmpty()) {
            command.add("-cp");
            command.add(String.join(":", classpath));
        }
        command.add(Objects.requireNonNull(mainClass, "mainClass"));
        command.addAll(arguments);
        return command;
    }
}
