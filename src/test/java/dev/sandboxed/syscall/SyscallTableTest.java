package dev.sandboxed.syscall;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyscallTableTest {

    private static final Path X86_HEADER = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    private static final Path GENERIC_HEADER = Path.of("/usr/include/asm-generic/unistd.h");

    /** What arm64's asm/unistd.h switches on before it includes the generic table. */
    private static final String AARCH64_PRELUDE = """
            #define __ARCH_WANT_RENAMEAT
            #define __ARCH_WANT_NEW_STAT
            #define __ARCH_WANT_SET_GET_RLIMIT
            #define __ARCH_WANT_SYS_CLONE3
            #define __ARCH_WANT_MEMFD_SECRET
            #include <asm-generic/unistd.h>
            """;

    /** Macros of the generic table that are bookkeeping, not syscalls: a count and the base of a reserved range. */
    private static final Set<String> GENERIC_NON_SYSCALLS = Set.of("__NR_syscalls", "__NR_arch_specific_syscall");

    @Test
    void everyX86_64HeaderEntryIsInTheTableWithItsNumber() throws IOException {
        Gcc.assumeAvailable(X86_HEADER);
        Map<String, Long> header = headerNumbers("#include <asm/unistd_64.h>\n", Set.of());
        assertTrue(header.size() > 300, "gcc saw only " + header.size() + " x86_64 syscalls");
        assertMatches(Arch.X86_64, header);
    }

    @Test
    void everyAarch64GenericHeaderEntryIsInTheTableWithItsNumber() throws IOException {
        Gcc.assumeAvailable(GENERIC_HEADER);
        Map<String, Long> header = headerNumbers(AARCH64_PRELUDE, GENERIC_NON_SYSCALLS);
        assertTrue(header.size() > 250, "gcc saw only " + header.size() + " aarch64 syscalls");
        assertMatches(Arch.AARCH64, header);
        // The indirect names that a plain grep of the header misses.
        for (String name : List.of("fcntl", "fstatfs", "statfs", "truncate", "ftruncate", "lseek", "sendfile",
                "newfstatat", "fstat", "mmap", "fadvise64")) {
            assertTrue(header.containsKey(name), name + " should come from a __NR3264_ indirection");
        }
    }

    @Test
    void aarch64HasNoEntriesThatOnlyExistFor32BitOrOtherArchitectures() {
        SyscallTable arm = SyscallTable.of(Arch.AARCH64);
        for (String name : List.of("fcntl64", "statfs64", "fstatfs64", "truncate64", "ftruncate64", "llseek",
                "sendfile64", "fstatat64", "fstat64", "mmap2", "fadvise64_64", "stat64", "lstat64",
                "sync_file_range2", "open", "stat", "fork", "uretprobe", "uprobe", "arch_prctl")) {
            assertFalse(arm.contains(name), name + " must not be an aarch64 syscall");
        }
    }

    @Test
    void newestSyscallsExistOnBothArchitecturesWithTheKernelsNumbers() {
        Map<String, Integer> common = new TreeMap<>(Map.ofEntries(
                Map.entry("cachestat", 451), Map.entry("fchmodat2", 452), Map.entry("map_shadow_stack", 453),
                Map.entry("futex_wake", 454), Map.entry("futex_wait", 455), Map.entry("futex_requeue", 456),
                Map.entry("statmount", 457), Map.entry("listmount", 458), Map.entry("lsm_get_self_attr", 459),
                Map.entry("lsm_set_self_attr", 460), Map.entry("lsm_list_modules", 461), Map.entry("mseal", 462),
                Map.entry("setxattrat", 463), Map.entry("getxattrat", 464), Map.entry("listxattrat", 465),
                Map.entry("removexattrat", 466), Map.entry("open_tree_attr", 467), Map.entry("file_getattr", 468),
                Map.entry("file_setattr", 469), Map.entry("listns", 470)));
        for (Arch arch : Arch.values()) {
            SyscallTable table = SyscallTable.of(arch);
            common.forEach((name, nr) -> assertEquals(nr, table.number(name).orElse(-1), arch.id() + " " + name));
            assertTrue(table.maxNumber() >= 470, arch.id() + " max " + table.maxNumber());
        }
        SyscallTable x86 = SyscallTable.of(Arch.X86_64);
        assertEquals(335, x86.number("uretprobe").orElse(-1));
        assertEquals(336, x86.number("uprobe").orElse(-1));
    }

    @Test
    void numbersAreUniquePerArchitectureAndNamesRoundTrip() {
        for (Arch arch : Arch.values()) {
            SyscallTable table = SyscallTable.of(arch);
            Map<Integer, String> seen = new HashMap<>();
            for (String name : table.names()) {
                int nr = table.number(name).orElseThrow();
                String previous = seen.put(nr, name);
                assertEquals(null, previous, arch.id() + ": " + name + " and " + previous + " share " + nr);
                assertEquals(name, table.name(nr).orElseThrow());
            }
        }
    }

    @Test
    void resourcesAreSortedByNumberSoRegenerationIsStable() throws IOException {
        for (Arch arch : Arch.values()) {
            List<Integer> numbers = new ArrayList<>();
            try (InputStream in = SyscallTable.class.getResourceAsStream("syscalls-" + arch.id() + ".tsv")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    if (!line.startsWith("#") && !line.isBlank()) {
                        numbers.add(Integer.parseInt(line.split("\t")[1]));
                    }
                }
            }
            List<Integer> sorted = new ArrayList<>(numbers);
            sorted.sort(null);
            assertEquals(sorted, numbers, arch.id());
        }
    }

    /**
     * The running kernel names the syscall a blocked process sits in by number in {@code /proc/PID/syscall}; a
     * sleeping child must sit in the syscall our table calls a sleep.
     */
    @Test
    void theRunningKernelAgreesOnTheNumberOfASleep() throws Exception {
        Arch arch = Arch.current().orElse(null);
        if (arch == null) {
            System.out.println("SKIPPED: this JVM runs on " + System.getProperty("os.arch") + ", not a supported arch");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(arch != null, "unsupported host architecture");
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Path syscallFile = Path.of("/proc", Long.toString(sleep.pid()), "syscall");
            String nameSeen = null;
            for (int attempt = 0; attempt < 200 && nameSeen == null; attempt++) {
                String[] fields = java.nio.file.Files.readString(syscallFile).strip().split(" ");
                if (fields[0].matches("\\d+")) {
                    String name = SyscallTable.of(arch).name(Integer.parseInt(fields[0])).orElse("#" + fields[0]);
                    if (name.contains("sleep")) {
                        nameSeen = name;
                    }
                }
                if (nameSeen == null) {
                    Thread.sleep(10);
                }
            }
            assertTrue(Set.of("clock_nanosleep", "nanosleep").contains(nameSeen), "kernel reported " + nameSeen);
        } finally {
            sleep.destroy();
            sleep.waitFor();
        }
    }

    @Test
    void misspeltNamesGetSuggestions() {
        assertEquals("openat", SyscallTable.of(Arch.AARCH64).nearest("opnat", 3).get(0));
    }

    private static Map<String, Long> headerNumbers(String source, Set<String> exclude) throws IOException {
        List<String> macros = Gcc.macros(source).keySet().stream()
                .filter(name -> name.startsWith("__NR_") && !exclude.contains(name))
                .sorted()
                .toList();
        Map<String, Long> numbers = new TreeMap<>();
        Gcc.values(source, macros).forEach((macro, value) -> numbers.put(macro.substring("__NR_".length()), value));
        return numbers;
    }

    private static void assertMatches(Arch arch, Map<String, Long> header) {
        SyscallTable table = SyscallTable.of(arch);
        List<String> wrong = new ArrayList<>();
        header.forEach((name, nr) -> {
            if (table.number(name).orElse(-1) != nr) {
                wrong.add(name + "=" + nr + " (table: " + table.number(name) + ")");
            }
        });
        assertEquals(List.of(), wrong, arch.id() + " entries missing or numbered differently from the header");
    }
}
