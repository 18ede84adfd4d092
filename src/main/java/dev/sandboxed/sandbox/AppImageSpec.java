package dev.sandboxed.sandbox;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What goes into an image assembled for a verify run when the user names none.
 *
 * @param javaHome the JDK whose {@code jlink} makes the runtime, normally the build's own; empty for an image
 *     of plain executables
 * @param classpath the application's runtime classpath, jars and directories, in order
 * @param modules the runtime's modules; empty means "ask {@code jdeps}"
 * @param extraExecutables programs the application runs ({@code gzip}, {@code /bin/sh}), by name (looked up on
 *     PATH) or absolute path; each is copied with its libraries, and a script brings its interpreter
 */
public record AppImageSpec(Optional<Path> javaHome, List<Path> classpath, SortedSet<String> modules,
                           List<String> extraExecutables) {

    public AppImageSpec {
        Objects.requireNonNull(javaHome, "javaHome");
        classpath = List.copyOf(Objects.requireNonNull(classpath, "classpath"));
        modules = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(modules, "modules")));
        extraExecutables = List.copyOf(Objects.requireNonNull(extraExecutables, "extraExecutables"));
        if (javaHome.isEmpty() && !(classpath.isEmpty() && modules.isEmpty())) {
            throw new IllegalArgumentException("a classpath or modules need a JDK to make the Java runtime from");
        }
    }

    public static AppImageSpec java(Path javaHome, List<Path> classpath) {
        return new AppImageSpec(Optional.of(javaHome), classpath, new TreeSet<>(), List.of());
    }

    /** The JDK running this build, which is the one that compiled the application in the usual setup. */
    public static AppImageSpec forCurrentJdk(List<Path> classpath) {
        return java(Path.of(System.getProperty("java.home")), classpath);
    }

    /** An image holding only these programs and their libraries, for running non-Java commands. */
    public static AppImageSpec executablesOnly(List<String> programs) {
        if (programs.isEmpty()) {
            throw new IllegalArgumentException("an image of executables needs at least one");
        }
        return new AppImageSpec(Optional.empty(), List.of(), new TreeSet<>(), programs);
    }

    public AppImageSpec withModules(SortedSet<String> chosen) {
        return new AppImageSpec(javaHome, classpath, chosen, extraExecutables);
    }

    public AppImageSpec withExtraExecutables(List<String> programs) {
        return new AppImageSpec(javaHome, classpath, modules, programs);
    }
}
