package dev.sandboxed.syscall;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentWidthTest {

    @Test
    void everySyscallHasArgumentTypesAndEveryTypeHasAKnownWidth() {
        for (Arch arch : Arch.values()) {
            SyscallTable table = SyscallTable.of(arch);
            List<String> problems = new ArrayList<>();
            for (String name : table.names()) {
                var types = table.argumentTypes(name);
                if (types.isEmpty()) {
                    problems.add(name + ": no signature");
                    continue;
                }
                if (types.get().size() > SeccompData.ARGUMENT_COUNT) {
                    problems.add(name + ": more than six arguments " + types.get());
                }
                for (String type : types.get()) {
                    if (ArgumentWidth.classify(type).isEmpty()) {
                        problems.add(name + ": unclassified type '" + type + "'");
                    }
                }
            }
            assertEquals(List.of(), problems, arch.id());
        }
    }

    @Test
    void argumentsPoliciesConditionOnHaveTheKernelsWidths() {
        for (Arch arch : Arch.values()) {
            SyscallTable t = SyscallTable.of(arch);
            // int-typed: only the low 32 bits count
            for (String[] intArg : new String[][] {
                    {"socket", "0"}, {"socket", "1"}, {"socket", "2"}, {"socketpair", "0"}, {"setsockopt", "1"},
                    {"setsockopt", "2"}, {"getsockopt", "1"}, {"getsockopt", "2"}, {"bind", "0"}, {"connect", "2"},
                    {"accept4", "3"}, {"ioctl", "0"}, {"ioctl", "1"}, {"prctl", "0"}, {"personality", "0"},
                    {"fcntl", "1"}, {"kill", "0"}, {"kill", "1"}, {"tkill", "1"}, {"tgkill", "2"},
                    {"rt_sigqueueinfo", "1"}, {"setns", "1"}, {"pkey_mprotect", "3"}, {"openat", "0"},
                    {"openat", "2"}, {"openat", "3"}, {"execveat", "0"}, {"execveat", "4"}, {"madvise", "2"},
                    {"umount2", "1"}, {"bpf", "0"}, {"bpf", "2"}, {"keyctl", "0"}, {"perf_event_open", "1"},
                    {"perf_event_open", "2"}, {"perf_event_open", "3"}, {"seccomp", "0"}, {"seccomp", "1"},
                    {"setuid", "0"}, {"setgid", "0"}, {"setresuid", "2"}, {"setfsgid", "0"}, {"futex", "1"},
                    {"sendto", "3"}, {"recvfrom", "3"}, {"memfd_create", "1"}, {"fchmodat2", "2"},
                    {"lsm_list_modules", "2"}}) {
                assertTrue(t.isIntArgument(intArg[0], Integer.parseInt(intArg[1])),
                        arch.id() + " " + intArg[0] + " arg" + intArg[1] + " " + t.argumentTypes(intArg[0]));
            }
            // register-wide: all 64 bits count
            for (String[] wideArg : new String[][] {
                    {"clone", "0"}, {"unshare", "0"}, {"mmap", "2"}, {"mmap", "3"}, {"mmap", "4"},
                    {"mprotect", "2"}, {"pkey_mprotect", "2"}, {"mount", "3"}, {"ptrace", "0"}, {"ptrace", "1"},
                    {"prctl", "1"}, {"keyctl", "1"}, {"perf_event_open", "4"}, {"clone3", "1"}, {"openat2", "3"},
                    {"ioctl", "2"}, {"fcntl", "2"}, {"sendto", "1"}, {"mseal", "2"}, {"openat", "1"}}) {
                assertFalse(t.isIntArgument(wideArg[0], Integer.parseInt(wideArg[1])),
                        arch.id() + " " + wideArg[0] + " arg" + wideArg[1] + " " + t.argumentTypes(wideArg[0]));
            }
            assertFalse(t.isIntArgument("socket", 3), "beyond the declared arguments");
            assertFalse(t.isIntArgument("socket", -1));
            assertFalse(t.isIntArgument("no_such_syscall", 0));
        }
        SyscallTable x86 = SyscallTable.of(Arch.X86_64);
        assertTrue(x86.isIntArgument("open", 1));
        assertTrue(x86.isIntArgument("arch_prctl", 0));
        assertFalse(x86.isIntArgument("arch_prctl", 1));
    }

    @Test
    void reservedNumbersAreKnownButNotImplemented() {
        SyscallTable x86 = SyscallTable.of(Arch.X86_64);
        assertTrue(x86.contains("tuxcall"));
        assertFalse(x86.isImplemented("tuxcall"));
        assertEquals(List.of(), x86.argumentTypes("tuxcall").orElseThrow());
        assertTrue(x86.isImplemented("read"));
        assertFalse(x86.isImplemented("no_such_syscall"));
        assertEquals(List.of(), x86.argumentTypes("getpid").orElseThrow());
    }
}
