package dev.sandboxed.evil;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the payload learns about the application it is inside: where the data comes from and where results go,
 * read off the command line the JVM was started with ({@code sun.java.command}), as nothing is passed to a class
 * initializer.
 *
 * @param input the {@code --in} file or directory, if given
 * @param output the {@code --out} directory, if given
 */
record Target(Optional<Path> input, Optional<Path> output) {

    static Target ofThisProcess() {
        String[] words = System.getProperty("sun.java.command", "").split(" ");
        Path input = null;
        Path output = null;
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("--in")) {
                input = Path.of(words[i + 1]);
            } else if (words[i].equals("--out")) {
                output = Path.of(words[i + 1]);
            }
        }
        return new Target(Optional.ofNullable(input), Optional.ofNullable(output));
    }
}
