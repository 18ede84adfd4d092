package dev.sandboxed.syscall;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The checked-in resources are exactly what the generators in {@code src/build} produce from this machine's
 * headers: proves the generators are deterministic and that nobody edited a generated file by hand.
 */
class GeneratorsTest {

    private static final Path RESOURCES = Path.of("src/main/resources/dev/sandboxed/syscall");

    @Test
    void syscallTablesRegenerateByteForByte() throws Exception {
        Gcc.assumeAvailable(Path.of("/usr/include/asm-generic/unistd.h"),
                Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"));
        boolean kernelTree = kernelHeaderTreePresent();
        if (!kernelTree) {
            System.out.println("SKIPPED: no /usr/src/linux-headers-*/include/linux/syscalls.h"
                    + " (apt-get install linux-headers-<version>-common)");
        }
        assumeTrue(kernelTree, "no kernel header tree under /usr/src");
        assertRegenerates("src/build/GenerateSyscallTables.java", List.of("syscalls-x86_64.tsv",
                "syscalls-aarch64.tsv", "syscall-arguments-x86_64.tsv", "syscall-arguments-aarch64.tsv"));
    }

    @Test
    void constantsRegenerateByteForByte() throws Exception {
        Gcc.assumeAvailable(Path.of("/usr/include/linux/errno.h"), Path.of("/usr/include/stdio.h"));
        assertRegenerates("src/build/GenerateConstants.java", List.of("constants-x86_64.tsv", "constants-aarch64.tsv"));
    }

    private static boolean kernelHeaderTreePresent() throws IOException {
        Path src = Path.of("/usr/src");
        if (!Files.isDirectory(src)) {
            return false;
        }
        try (Stream<Path> dirs = Files.list(src)) {
            return dirs.anyMatch(d -> Files.isRegularFile(d.resolve("include/linux/syscalls.h")));
        }
    }

    private static void assertRegenerates(String generator, List<String> files) throws Exception {
        Path out = Files.createTempDirectory("regenerated");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), generator, "--out",
                    out.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), generator + " failed:\n" + log);
            for (String file : files) {
                assertArrayEquals(Files.readAllBytes(RESOURCES.resolve(file)), Files.readAllBytes(out.resolve(file)),
                        file + " differs from what " + generator + " writes; rerun it and commit the result");
            }
        } finally {
            try (Stream<Path> paths = Files.walk(out)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }
}
