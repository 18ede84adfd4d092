package dev.sandboxed.syscall;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EquivalentsTest {

    @Test
    void everyNameOfEitherTableIsIdenticalMappedOrListedAsHavingNone() {
        for (Arch from : Arch.values()) {
            for (Arch to : Arch.values()) {
                if (from == to) {
                    continue;
                }
                List<String> unaccounted = new ArrayList<>();
                for (String name : SyscallTable.of(from).names()) {
                    boolean identical = SyscallTable.of(to).contains(name);
                    if (!identical && !Equivalents.isListed(name, from)) {
                        unaccounted.add(name);
                    }
                    boolean translated = Equivalents.translate(name, from, to).isPresent();
                    boolean absent = Equivalents.absence(name, from, to).isPresent();
                    assertTrue(translated != absent, name + ": exactly one of translate/absence must answer");
                }
                assertEquals(List.of(), unaccounted, from.id() + " names with no answer for " + to.id());
            }
        }
    }

    @Test
    void listedRowsAreNeitherDeadNorPointingAtMissingSyscalls() {
        for (Arch from : Arch.values()) {
            for (Arch to : Arch.values()) {
                if (from == to) {
                    continue;
                }
                Equivalents.listed(from).forEach((name, replacements) -> {
                    assertTrue(SyscallTable.of(from).contains(name), name + " is not a " + from.id() + " syscall");
                    assertFalse(SyscallTable.of(to).contains(name), name + " exists on " + to.id() + ": row is dead");
                    for (String replacement : replacements) {
                        assertTrue(SyscallTable.of(to).contains(replacement),
                                name + " maps to " + replacement + ", which " + to.id() + " lacks");
                    }
                });
            }
        }
    }

    @Test
    void aarch64LacksTheOldCallsAndGetsWhatLibcUses() {
        assertMapping("open", List.of("openat"), Equivalent.Exactness.SUPERSET);
        assertMapping("stat", List.of("newfstatat", "statx"), Equivalent.Exactness.SUPERSET);
        assertMapping("lstat", List.of("newfstatat", "statx"), Equivalent.Exactness.SUPERSET);
        assertMapping("access", List.of("faccessat", "faccessat2"), Equivalent.Exactness.SUPERSET);
        assertMapping("fork", List.of("clone"), Equivalent.Exactness.SUPERSET);
        assertMapping("vfork", List.of("clone"), Equivalent.Exactness.SUPERSET);
        assertMapping("dup2", List.of("dup3"), Equivalent.Exactness.SUPERSET);
        assertMapping("pipe", List.of("pipe2"), Equivalent.Exactness.SUPERSET);
        assertMapping("poll", List.of("ppoll"), Equivalent.Exactness.SUPERSET);
        assertMapping("select", List.of("pselect6"), Equivalent.Exactness.SUPERSET);
        assertMapping("epoll_wait", List.of("epoll_pwait", "epoll_pwait2"), Equivalent.Exactness.SUPERSET);
        assertMapping("getdents", List.of("getdents64"), Equivalent.Exactness.EXACT);
        assertMapping("rmdir", List.of("unlinkat"), Equivalent.Exactness.SUPERSET);
        for (String none : List.of("arch_prctl", "iopl", "ioperm", "modify_ldt", "uselib", "tuxcall")) {
            assertTrue(Equivalents.translate(none, Arch.X86_64, Arch.AARCH64).isEmpty(), none);
            assertFalse(Equivalents.absence(none, Arch.X86_64, Arch.AARCH64).orElseThrow().isBlank(), none);
        }
        assertTrue(Equivalents.translate("fork", Arch.X86_64, Arch.AARCH64).orElseThrow().note().contains("flags"));
    }

    @Test
    void sharedNamesAreIdenticalInBothDirections() {
        Equivalent read = Equivalents.translate("read", Arch.X86_64, Arch.AARCH64).orElseThrow();
        assertEquals(Equivalent.Exactness.IDENTICAL, read.exactness());
        assertEquals(List.of("read"), read.names());
        assertTrue(read.note().contains("0 on x86_64") && read.note().contains("63 on aarch64"), read.note());
        Equivalent openat = Equivalents.translate("openat", Arch.AARCH64, Arch.X86_64).orElseThrow();
        assertEquals(Equivalent.Exactness.IDENTICAL, openat.exactness());
        assertEquals(Equivalent.Exactness.IDENTICAL,
                Equivalents.translate("open", Arch.X86_64, Arch.X86_64).orElseThrow().exactness());
        assertTrue(Equivalents.absence("read", Arch.X86_64, Arch.AARCH64).isEmpty());
    }

    @Test
    void unknownNamesAreRejectedWithSuggestions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Equivalents.translate("opne", Arch.X86_64, Arch.AARCH64));
        assertTrue(e.getMessage().contains("open"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Equivalents.translate("open", Arch.AARCH64, Arch.X86_64));
    }

    private static void assertMapping(String x86Name, List<String> names, Equivalent.Exactness exactness) {
        Equivalent e = Equivalents.translate(x86Name, Arch.X86_64, Arch.AARCH64).orElseThrow();
        assertEquals(names, e.names(), x86Name);
        assertEquals(exactness, e.exactness(), x86Name);
        assertFalse(e.note().isBlank());
    }
}
