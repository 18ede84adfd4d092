package dev.sandboxed.report;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a system call is for, so a reader can scan a policy by intent ("why does a batch job need the network?")
 * instead of by 300 alphabetical names. Every name of the x86_64 and aarch64 tables is classified here explicitly;
 * a name this table does not know (a syscall newer than the plugin) is {@link #OTHER}.
 *
 * <p>The classes describe purpose, not danger: {@code open_by_handle_at} is file I/O even though it is one of the
 * most dangerous calls a container can make. {@link Risk} says how dangerous a call is; {@link #SECURITY} holds the
 * calls whose purpose is privilege, isolation or administration of the machine.
 */
public enum Purpose {
    FILE_IO("File I/O", "files, directories, descriptors, polling and devices",
            "read write open openat openat2 creat close close_range dup dup2 dup3 lseek pread64 pwrite64 readv writev "
            + "preadv pwritev preadv2 pwritev2 sendfile splice tee vmsplice copy_file_range stat fstat lstat "
            + "newfstatat statx statfs fstatfs access faccessat faccessat2 fcntl flock fsync fdatasync sync syncfs "
            + "sync_file_range fallocate fadvise64 readahead truncate ftruncate getdents getdents64 getcwd chdir "
            + "fchdir mkdir mkdirat rmdir rename renameat renameat2 link linkat unlink unlinkat symlink symlinkat "
            + "readlink readlinkat mknod mknodat chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat umask "
            + "utime utimes futimesat utimensat setxattr lsetxattr fsetxattr setxattrat getxattr lgetxattr fgetxattr "
            + "getxattrat listxattr llistxattr flistxattr listxattrat removexattr lremovexattr fremovexattr "
            + "removexattrat file_getattr file_setattr select pselect6 poll ppoll epoll_create epoll_create1 "
            + "epoll_ctl epoll_wait epoll_pwait epoll_pwait2 epoll_ctl_old epoll_wait_old inotify_init inotify_init1 "
            + "inotify_add_watch inotify_rm_watch fanotify_init fanotify_mark io_setup io_destroy io_submit "
            + "io_getevents io_pgetevents io_cancel io_uring_setup io_uring_enter io_uring_register ioctl "
            + "name_to_handle_at open_by_handle_at cachestat"),
    MEMORY("Memory", "mappings, protection, NUMA placement and shared memory files",
            "mmap munmap mremap mprotect pkey_mprotect pkey_alloc pkey_free brk madvise process_madvise msync "
            + "mincore mlock mlock2 munlock mlockall munlockall remap_file_pages mbind set_mempolicy "
            + "set_mempolicy_home_node get_mempolicy migrate_pages move_pages memfd_create memfd_secret membarrier "
            + "userfaultfd process_mrelease mseal map_shadow_stack"),
    PROCESS("Processes & threads", "creating, running and signalling processes and threads, scheduling, limits",
            "clone clone3 fork vfork execve execveat exit exit_group wait4 waitid kill tkill tgkill rt_sigaction "
            + "rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigqueueinfo rt_tgsigqueueinfo "
            + "rt_sigsuspend sigaltstack signalfd signalfd4 pause restart_syscall getpid getppid gettid getpgid "
            + "setpgid getpgrp getsid setsid getuid geteuid getgid getegid getgroups getresuid getresgid "
            + "getpriority setpriority sched_yield sched_setparam sched_getparam sched_setscheduler "
            + "sched_getscheduler sched_get_priority_max sched_get_priority_min sched_rr_get_interval "
            + "sched_setaffinity sched_getaffinity sched_setattr sched_getattr getrlimit setrlimit prlimit64 "
            + "getrusage prctl arch_prctl set_tid_address set_robust_list get_robust_list set_thread_area "
            + "get_thread_area rseq rseq_slice_yield getcpu ioprio_get ioprio_set pidfd_open pidfd_send_signal "
            + "pidfd_getfd process_vm_readv process_vm_writev kcmp"),
    NETWORK("Network", "sockets: creating, connecting, listening, sending and receiving",
            "socket socketpair bind listen accept accept4 connect shutdown getsockname getpeername setsockopt "
            + "getsockopt sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg"),
    IPC("IPC & synchronisation", "pipes, event counters, futexes, System V and POSIX message queues, semaphores",
            "pipe pipe2 eventfd eventfd2 futex futex_wait futex_wake futex_requeue futex_waitv msgget msgsnd msgrcv "
            + "msgctl semget semop semtimedop semctl shmget shmat shmdt shmctl mq_open mq_unlink mq_timedsend "
            + "mq_timedreceive mq_notify mq_getsetattr"),
    TIME("Time", "clocks, sleeps and timers",
            "time gettimeofday settimeofday clock_gettime clock_settime clock_getres clock_nanosleep clock_adjtime "
            + "adjtimex nanosleep alarm getitimer setitimer timer_create timer_settime timer_gettime "
            + "timer_getoverrun timer_delete timerfd_create timerfd_settime timerfd_gettime times"),
    SECURITY("Security-sensitive", "privileges, namespaces, mounts, kernel extension and machine administration",
            "setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid setgroups capget capset seccomp "
            + "landlock_create_ruleset landlock_add_rule landlock_restrict_self lsm_get_self_attr lsm_set_self_attr "
            + "lsm_list_modules ptrace bpf perf_event_open keyctl add_key request_key mount umount2 mount_setattr "
            + "move_mount open_tree open_tree_attr fsopen fsconfig fsmount fspick listmount statmount listns "
            + "pivot_root chroot unshare setns init_module finit_module delete_module create_module query_module "
            + "get_kernel_syms kexec_load kexec_file_load reboot swapon swapoff iopl ioperm modify_ldt syslog acct "
            + "quotactl quotactl_fd sethostname setdomainname vhangup personality lookup_dcookie nfsservctl _sysctl "
            + "uselib"),
    OTHER("Other", "system information, randomness, and numbers the kernel reserves but does not implement",
            "uname sysinfo sysfs ustat getrandom uprobe uretprobe tuxcall afs_syscall vserver putpmsg getpmsg security");

    private static final Map<String, Purpose> BY_NAME = index();

    private final String title;
    private final String description;
    private final String names;

    Purpose(String title, String description, String names) {
        this.title = title;
        this.description = description;
        this.names = names;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** The purpose of a syscall name on any supported architecture; {@link #OTHER} for names this table lacks. */
    public static Purpose of(String syscall) {
        return BY_NAME.getOrDefault(Objects.requireNonNull(syscall, "syscall"), OTHER);
    }

    /** Whether the table names this syscall itself, rather than falling back to {@link #OTHER}. */
    public static boolean classifies(String syscall) {
        return BY_NAME.containsKey(Objects.requireNonNull(syscall, "syscall"));
    }

    /** Every name the table lists, for checking it against the syscall tables. */
    static Set<String> listed() {
        return BY_NAME.keySet();
    }

    private static Map<String, Purpose> index() {
        Map<String, Purpose> map = new HashMap<>();
        for (Purpose purpose : values()) {
            for (String name : purpose.names.split(" ")) {
                Purpose earlier = map.put(name, purpose);
                if (earlier != null) {
                    throw new IllegalStateException(name + " is classified twice: " + earlier + " and " + purpose);
                }
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
