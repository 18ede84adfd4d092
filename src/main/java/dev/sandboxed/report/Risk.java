package dev.sandboxed.report;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Why allowing a system call deserves a second look. A least-privilege policy is only as good as the reviewer's
 * attention, and that attention belongs on the few calls that reach the kernel's least hardened code, cross the
 * sandbox's boundary or act on the whole machine. The reasons are written for that reviewer: what the call can do
 * to a sandboxed process's surroundings, not what it is for.
 *
 * @param level how much harm allowing it can do
 * @param reason what an attacker inside the sandbox gains from it
 */
public record Risk(Level level, String reason) {

    /** From worst to least bad. */
    public enum Level {
        /** Control of the kernel or the machine, or a direct way out of the sandbox. */
        CRITICAL("critical"),
        /** Large kernel attack surface, a view into other processes, or state shared with the host. */
        HIGH("high"),
        /** Weakens a protection or reveals information; harmful mainly in combination. */
        MEDIUM("medium");

        private final String label;

        Level(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Map<String, Risk> KNOWN = table();

    public Risk {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(reason, "reason");
    }

    /** The risk of allowing a syscall, or empty when it is an ordinary call. */
    public static Optional<Risk> of(String syscall) {
        return Optional.ofNullable(KNOWN.get(Objects.requireNonNull(syscall, "syscall")));
    }

    /** Every name the table lists, for checking it against the syscall tables. */
    static Set<String> listed() {
        return KNOWN.keySet();
    }

    private static Map<String, Risk> table() {
        Map<String, Risk> t = new TreeMap<>();
        String mountApi = "changes what the file system looks like: can expose host paths, hide or replace protected "
                + "files, and reaches file system drivers' least tested code";
        critical(t, "ptrace", "reads and writes other processes' memory and registers; on kernels before 4.8 it "
                + "could even rewrite a traced call after seccomp had checked it");
        critical(t, "bpf", "loads programs into the kernel; verifier bugs have repeatedly given unprivileged users "
                + "kernel code execution");
        critical(t, "init_module", "loads code into the kernel: whoever may call it controls the machine");
        critical(t, "finit_module", "loads code into the kernel from a file: whoever may call it controls the machine");
        critical(t, "delete_module", "unloads kernel modules, including security modules and drivers others rely on");
        critical(t, "create_module", "obsolete module loader: loads code into the kernel on old kernels");
        critical(t, "kexec_load", "replaces the running kernel with one of the caller's choosing");
        critical(t, "kexec_file_load", "replaces the running kernel with one loaded from a file of the caller's choosing");
        critical(t, "reboot", "reboots or halts the machine, or arms a kexec kernel");
        critical(t, "open_by_handle_at", "opens any file on a mounted file system by its handle, ignoring the "
                + "directories in between: the classic way out of a container's root (\"shocker\")");
        critical(t, "process_vm_writev", "writes directly into another process's memory, which hands over control of that process");
        critical(t, "mount", mountApi);
        for (String call : new String[] {"fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
                "open_tree_attr", "mount_setattr"}) {
            critical(t, call, "part of the new mount API: " + mountApi);
        }
        critical(t, "pivot_root", "swaps the root file system; together with a mount it undoes a container's root");
        critical(t, "iopl", "grants direct access to hardware I/O ports, beneath every protection the kernel offers");
        critical(t, "ioperm", "grants direct access to hardware I/O ports, beneath every protection the kernel offers");
        critical(t, "swapon", "changes the machine's swap: can make the kernel page onto an attacker's file");

        high(t, "unshare", "creates namespaces; a new user namespace makes code that normally needs root reachable, "
                + "the starting point of many privilege escalations");
        high(t, "setns", "joins another process's namespaces, possibly the host's, and so leaves the sandbox's view of the system");
        high(t, "keyctl", "manages kernel keyrings, which are not namespaced: keys can leak between containers, and "
                + "the subsystem has a history of exploitable bugs");
        high(t, "add_key", "adds keys to kernel keyrings, which are not namespaced");
        high(t, "request_key", "asks the kernel to find or create a key, possibly by running a helper on the host");
        high(t, "perf_event_open", "performance counters: reveals other processes' and the kernel's behaviour, and "
                + "is a frequent source of kernel bugs");
        high(t, "userfaultfd", "lets user space pause the kernel in the middle of a page fault, the standard tool "
                + "for winning kernel race conditions");
        high(t, "process_vm_readv", "reads another process's memory directly, secrets and keys included");
        for (String call : new String[] {"io_uring_setup", "io_uring_enter", "io_uring_register"}) {
            high(t, call, "io_uring performs reads, writes, connects and opens without making those system calls, so "
                    + "the filter never sees them; a large and often exploited kernel surface");
        }
        high(t, "personality", "changes the execution domain: can turn off address-space randomisation "
                + "(ADDR_NO_RANDOMIZE) or make readable memory executable (READ_IMPLIES_EXEC)");
        high(t, "chroot", "changes the root directory; with a directory descriptor kept open it is a known way out of "
                + "a chroot");
        high(t, "umount2", "removes mounts, which can uncover what a mount was hiding");
        high(t, "swapoff", "turns off swap for the whole machine, which can exhaust memory on the host");
        high(t, "pidfd_getfd", "copies a file descriptor out of another process");
        high(t, "modify_ldt", "edits x86 segment descriptors, code with a long history of kernel bugs");
        high(t, "syslog", "reads the kernel log, which can reveal kernel addresses that defeat KASLR");
        high(t, "settimeofday", "the clock is not namespaced: sets the time for the whole machine");
        high(t, "clock_settime", "the clock is not namespaced: sets the time for the whole machine");
        high(t, "clock_adjtime", "the clock is not namespaced: adjusts the time for the whole machine");
        high(t, "adjtimex", "the clock is not namespaced: adjusts the time for the whole machine");
        high(t, "acct", "switches process accounting on or off for the whole machine");
        high(t, "quotactl", "changes disk quotas of a file system");
        high(t, "quotactl_fd", "changes disk quotas of a file system");
        high(t, "lookup_dcookie", "profiling interface that reveals path names of other processes' files");
        high(t, "fanotify_init", "watches, and can veto, file access across a whole mount or file system");
        high(t, "vhangup", "hangs up the controlling terminal of other processes' sessions");
        high(t, "uselib", "obsolete loader entry point with a record of kernel bugs and no use in modern programs");
        high(t, "_sysctl", "obsolete interface to kernel tunables");
        high(t, "nfsservctl", "obsolete interface to the kernel NFS server");
        high(t, "query_module", "obsolete: lists kernel modules and their symbols");
        high(t, "get_kernel_syms", "obsolete: reveals kernel symbol addresses");

        medium(t, "clone", "can create namespaces (CLONE_NEW* flags) unless its rule requires those flags to be clear");
        medium(t, "clone3", "its flags sit in memory a seccomp filter cannot read, so namespace creation through it "
                + "cannot be restricted; answer it with errno(ENOSYS) and libc falls back to clone");
        medium(t, "kcmp", "compares kernel objects held by other processes, which reveals how they are shared");
        medium(t, "name_to_handle_at", "produces the file handles that open_by_handle_at turns into open files");
        medium(t, "sethostname", "renames the machine unless the process has its own UTS namespace");
        medium(t, "setdomainname", "renames the machine's NIS domain unless the process has its own UTS namespace");
        medium(t, "move_pages", "moves memory pages of other processes between NUMA nodes");
        medium(t, "migrate_pages", "moves all memory of another process between NUMA nodes");
        medium(t, "mbind", "pins memory to NUMA nodes, which can starve other workloads on the machine");
        medium(t, "set_mempolicy", "changes NUMA placement, which can starve other workloads on the machine");
        medium(t, "set_mempolicy_home_node", "changes NUMA placement, which can starve other workloads on the machine");
        return Collections.unmodifiableMap(t);
    }

    private static void critical(Map<String, Risk> table, String syscall, String reason) {
        table.put(syscall, new Risk(Level.CRITICAL, reason));
    }

    private static void high(Map<String, Risk> table, String syscall, String reason) {
        table.put(syscall, new Risk(Level.HIGH, reason));
    }

    private static void medium(Map<String, Risk> table, String syscall, String reason) {
        table.put(syscall, new Risk(Level.MEDIUM, reason));
    }
}
