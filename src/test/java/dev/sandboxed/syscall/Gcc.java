package dev.sandboxed.syscall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host C compiler as an independent witness of what the installed kernel headers say. Tests that use it skip,
 * saying why, on machines without gcc or without the headers.
 */
final class Gcc {

    private static final Pattern DEFINE = Pattern.compile("#define (\\w+) (.*)");

    private Gcc() {
    }

    /** Skips the calling test unless gcc runs and every header exists. */
    static void assumeAvailable(Path... headers) {
        boolean gcc;
        try {
            gcc = run(List.of("gcc", "--version"), null).exitCode() == 0;
        } catch (IOException e) {
            gcc = false;
        }
        if (!gcc) {
            System.out.println("SKIPPED: gcc is not installed (apt-get install gcc)");
        }
        assumeTrue(gcc, "gcc is not installed");
        for (Path header : headers) {
            boolean present = Files.isRegularFile(header);
            if (!present) {
                System.out.println("SKIPPED: " + header + " is missing (apt-get install linux-libc-dev)");
            }
            assumeTrue(present, header + " is missing");
        }
    }

    /** All object-like macros visible after {@code source}, name to unexpanded body, as {@code gcc -E -dM} lists them. */
    static Map<String, String> macros(String source, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("gcc", "-E", "-dM"));
        command.addAll(List.of(options));
        command.add("-");
        Result result = run(command, source);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("gcc -E -dM failed: " + result.error());
        }
        Map<String, String> macros = new LinkedHashMap<>();
        for (String line : result.output().split("\n")) {
            Matcher m = DEFINE.matcher(line);
            if (m.matches()) {
                macros.put(m.group(1), m.group(2));
            }
        }
        return macros;
    }

    /** Values of integer constant expressions as a program compiled by gcc against the headers prints them. */
    static Map<String, Long> values(String prelude, List<String> symbols, String... options) throws IOException {
        Path dir = Files.createTempDirectory("gcc-values");
        try {
            Path source = dir.resolve("values.c");
            StringBuilder c = new StringBuilder(prelude).append("\n#include <stdio.h>\nint main(void) {\n");
            for (String symbol : symbols) {
                c.append("  printf(\"%s\\t%lld\\n\", \"").append(symbol).append("\", (long long) (")
                        .append(symbol).append("));\n");
            }
            c.append("  return 0;\n}\n");
            Files.writeString(source, c, StandardCharsets.US_ASCII);
            Path binary = dir.resolve("values");
            List<String> compile = new ArrayList<>(List.of("gcc", "-w", "-o", binary.toString()));
            compile.addAll(List.of(options));
            compile.add(source.toString());
            Result compiled = run(compile, null);
            if (compiled.exitCode() != 0) {
                throw new IllegalStateException("gcc failed: " + compiled.error());
            }
            Result ran = run(List.of(binary.toString()), null);
            Map<String, Long> values = new LinkedHashMap<>();
            for (String line : ran.output().split("\n")) {
                String[] fields = line.split("\t");
                values.put(fields[0], Long.parseLong(fields[1]));
            }
            return values;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Result(int exitCode, String output, String error) {
    }

    static Result run(List<String> command, String stdin) throws IOException {
        Path errors = Files.createTempFile("gcc", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    Files.readString(errors, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
