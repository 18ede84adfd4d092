package dev.sandboxed.report;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PurposeTest {

    @Test
    void everySyscallOfEverySupportedArchitectureIsClassified() {
        List<String> missing = new ArrayList<>();
        for (Arch arch : Arch.values()) {
            for (String name : SyscallTable.of(arch).names()) {
                if (!Purpose.classifies(name)) {
                    missing.add(arch.id() + ":" + name);
                }
            }
        }
        assertEquals(List.of(), missing, "add these to the table in Purpose");
    }

    @Test
    void theTableNamesNoSyscallThatDoesNotExist() {
        Set<String> known = new TreeSet<>();
        for (Arch arch : Arch.values()) {
            known.addAll(SyscallTable.of(arch).names());
        }
        Set<String> unknown = new TreeSet<>(Purpose.listed());
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown, "misspelt or removed names in Purpose");
    }

    @Test
    void everyPurposeHasMembersAndTheUsualSuspectsSitWhereAReaderLooks() {
        Set<Purpose> used = EnumSet.noneOf(Purpose.class);
        SyscallTable.of(Arch.X86_64).names().forEach(name -> used.add(Purpose.of(name)));
        assertEquals(EnumSet.allOf(Purpose.class), used);
        assertEquals(Purpose.FILE_IO, Purpose.of("openat"));
        assertEquals(Purpose.MEMORY, Purpose.of("mmap"));
        assertEquals(Purpose.PROCESS, Purpose.of("clone3"));
        assertEquals(Purpose.NETWORK, Purpose.of("connect"));
        assertEquals(Purpose.IPC, Purpose.of("futex"));
        assertEquals(Purpose.TIME, Purpose.of("clock_nanosleep"));
        assertEquals(Purpose.SECURITY, Purpose.of("unshare"));
        assertEquals(Purpose.OTHER, Purpose.of("a_syscall_from_the_future"), "unknown names fall back to other");
    }

    @Test
    void theDangerousCallsCarryARiskAndAReason() {
        for (String name : List.of("ptrace", "bpf", "mount", "unshare", "setns", "keyctl", "init_module",
                "finit_module", "perf_event_open", "userfaultfd", "process_vm_readv", "process_vm_writev", "kexec_load",
                "kexec_file_load", "personality", "io_uring_setup", "io_uring_enter", "io_uring_register", "add_key",
                "request_key", "open_by_handle_at", "pivot_root", "chroot", "swapon", "reboot")) {
            Risk risk = Risk.of(name).orElseThrow(() -> new AssertionError(name + " has no risk"));
            assertTrue(risk.level().compareTo(Risk.Level.HIGH) <= 0, name + " is only " + risk.level());
            assertTrue(risk.reason().split(" ").length >= 8, "say what an attacker gains: " + name + ": " + risk.reason());
        }
        assertTrue(Risk.of("read").isEmpty() && Risk.of("futex").isEmpty(), "ordinary calls are not flagged");
    }

    @Test
    void everyRiskyNameExists() {
        Set<String> known = new TreeSet<>();
        for (Arch arch : Arch.values()) {
            known.addAll(SyscallTable.of(arch).names());
        }
        Set<String> unknown = new TreeSet<>(Risk.listed());
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown, "misspelt or removed names in Risk");
    }
}
