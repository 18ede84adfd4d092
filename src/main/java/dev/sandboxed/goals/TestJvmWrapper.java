package dev.sandboxed.goals;

import dev.sandboxed.json.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code java} stand-in for maven-surefire-plugin and maven-failsafe-plugin's {@code <jvm>}, in the JaCoCo
 * manner: bound before the tests, {@code record} (or {@code verify}) writes it and sets a property the test plugins
 * read, and every forked test JVM then starts through it and runs under a tool of ours (the tracer, or
 * {@link VerifyTestJvm}'s sandbox) with the real {@code java} underneath.
 */
public final class TestJvmWrapper {

    private TestJvmWrapper() {
    }

    /**
     * Writes an executable script at {@code script} that runs {@code mainClass} of our own classpath with
     * {@code toolArguments}, then {@code --}, the real {@code java} and whatever arguments the test plugin passes.
     */
    public static Path write(Path script, Path java, List<Path> classpath, String mainClass, List<String> toolArguments) {
        Objects.requireNonNull(script, "script");
        List<String> words = new ArrayList<>();
        words.add(java.toString());
        words.add("-cp");
        words.add(String.join(":", classpath.stream().map(Path::toString).toList()));
        words.add(mainClass);
        words.addAll(toolArguments);
        words.add("--");
        words.add(java.toString());
        StringBuilder text = new StringBuilder("#!/bin/sh\n# Written by sandbox-maven-plugin: runs a forked test JVM under ")
                .append(mainClass).append(".\nexec");
        words.forEach(word -> text.append(' ').append(quote(word)));
        text.append(" \"$@\"\n");
        try {
            AtomicFiles.write(script, text.toString());
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script + ": " + e.getMessage(), e);
        }
        return script;
    }

    /** Single-quotes a word for {@code /bin/sh}. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
