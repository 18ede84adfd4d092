package dev.sandboxed.sandbox;

import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.ProcessRunner;
import dev.sandboxed.process.Termination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The shared libraries a set of ELF files loads, found with the host's {@code ldd} so that the answer is the
 * dynamic loader's own (search paths, {@code ld.so.cache}, hwcaps) rather than a re-implementation of it.
 *
 * @param found absolute host paths of the libraries, the dynamic loader included; each is needed at this same
 *     path in the image, because that is where the loader (or the {@code PT_INTERP} header) looks
 * @param missing library names {@code ldd} could not resolve, as {@code file: name}
 */
public record SharedLibraries(SortedSet<Path> found, SortedSet<String> missing) {

    public SharedLibraries {
        found = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(found, "found")));
        missing = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(missing, "missing")));
    }

    /** Runs one {@code ldd} over all files; files that are not dynamic ELF objects are skipped. */
    public static SharedLibraries of(ProcessRunner runner, Collection<Path> files) {
        if (files.isEmpty()) {
            return new SharedLibraries(new TreeSet<>(), new TreeSet<>());
        }
        List<String> arguments = new ArrayList<>(List.of("ldd"));
        files.stream().map(Path::toString).sorted().forEach(arguments::add);
        ProcessResult result = runner.run(Command.of(arguments).withTimeout(Duration.ofMinutes(1)).capturingStdout());
        if (result.termination() != Termination.EXITED) {
            result.requireSuccess();
        }
        // ldd exits 1 when any argument is not dynamic (a script, a static binary); the others are still listed.
        if (result.exitCode() != 0 && result.stdout().isBlank()) {
            throw new ImageAssemblyException("ldd could not list the libraries of " + files + ": "
                    + result.stderrText().strip());
        }
        return parse(result.stdout(), files.size() == 1 ? files.iterator().next().toString() : null);
    }

    /**
     * Reads {@code ldd} output. With several files, each block starts with {@code file:}; with one file there is
     * no such line, so its name is passed in.
     */
    static SharedLibraries parse(String output, String singleFile) {
        SortedSet<Path> found = new TreeSet<>();
        SortedSet<String> missing = new TreeSet<>();
        String current = singleFile;
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
                continue;
            }
            String entry = line.strip();
            int arrow = entry.indexOf(" => ");
            if (arrow >= 0) {
                String target = entry.substring(arrow + 4).strip();
                if (target.startsWith("not found")) {
                    missing.add(current + ": " + entry.substring(0, arrow));
                } else if (target.startsWith("/")) {
                    found.add(Path.of(stripAddress(target)).normalize());
                }
            } else if (entry.startsWith("/")) {
                found.add(Path.of(stripAddress(entry)).normalize());
            }
        }
        return new SharedLibraries(found, missing);
    }

    private static String stripAddress(String text) {
        int paren = text.lastIndexOf(" (0x");
        return (paren >= 0 ? text.substring(0, paren) : text).strip();
    }
}
