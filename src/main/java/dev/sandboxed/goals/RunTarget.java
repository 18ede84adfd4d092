package dev.sandboxed.goals;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code record} and {@code verify} run: a command line, or a Java main class on a class path. A Java main is kept apart rather
 * than expanded into a {@code java} command because a container runs it with the image's own Java runtime and class
 * path locations; on this machine it expands exactly as {@code record} expands it, so the policy is checked against
 * the very command that was recorded.
 */
public sealed interface RunTarget permits RunTarget.CommandLine, RunTarget.JavaMain {

    /** The command to run on this machine. */
    List<String> hostCommand();

    /** @param command the program and its arguments */
    record CommandLine(List<String> command) implements RunTarget {

        public CommandLine {
            command = List.copyOf(Objects.requireNonNull(command, "command"));
            if (command.isEmpty() || command.get(0).isBlank()) {
                throw new IllegalArgumentException("command must name a program");
            }
        }

        @Override
        public List<String> hostCommand() {
            return command;
        }
    }

    /**
     * @param javaHome the Java runtime that runs it on this machine (and whose modules an image gets)
     * @param jvmArguments options for the JVM, before the class path
     * @param classpath the application's runtime class path, in order
     * @param mainClass the class whose {@code main} runs
     * @param arguments the arguments of {@code main}
     */
    record JavaMain(Path javaHome, List<String> jvmArguments, List<Path> classpath, String mainClass,
                    List<String> arguments) implements RunTarget {

        public JavaMain {
            Objects.requireNonNull(javaHome, "javaHome");
            jvmArguments = List.copyOf(Objects.requireNonNull(jvmArguments, "jvmArguments"));
            classpath = List.copyOf(Objects.requireNonNull(classpath, "classpath"));
            Objects.requireNonNull(mainClass, "mainClass");
            if (mainClass.isBlank()) {
                throw new IllegalArgumentException("mainClass is blank");
            }
            arguments = List.copyOf(Objects.requireNonNull(arguments, "arguments"));
        }

        /** {@code JAVA_HOME/bin/java [jvmArguments] -cp CLASSPATH mainClass [arguments]}, as {@code record} runs it. */
        @Override
        public List<String> hostCommand() {
            List<String> command = new ArrayList<>();
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.addAll(jvmArguments);
            command.add("-cp");
            command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
            command.add(mainClass);
            command.addAll(arguments);
            return command;
        }
    }
}
