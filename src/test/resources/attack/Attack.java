import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small data-processing application with a compromised dependency. Its benign part reads an input file,
 * normalises it and writes the result into the output directory (atomically, through a temporary file), using
 * JNA like a library with native code would. Then, when asked, it attempts one attack. An attack the sandbox
 * refuses surfaces as an exception, so the run fails; one that went through prints ATTACK SUCCEEDED.
 *
 * <p>Usage: {@code Attack INPUT OUTPUT_DIRECTORY [ATTACK [TARGET]]}. The x86_64 syscall numbers are hard-coded:
 * this is an x86_64 test program.
 */
public class Attack {

    private static final NativeLibrary LIBC = NativeLibrary.getInstance("c");

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        String text = Files.readString(input, StandardCharsets.UTF_8);
        String normalised = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
        Path temporary = Files.createTempFile(output, "result", ".tmp");
        Files.writeString(temporary, normalised + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, output.resolve("result.txt"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        long pid = LIBC.getFunction("getpid").invokeLong(new Object[0]);
        System.out.println("normalised " + text.length() + " characters in process " + pid);
        String attack = args.length > 2 ? args[2] : "none";
        switch (attack) {
            case "none" -> {
                return;
            }
            case "network" -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", 9), 2000);
                }
            }
            case "shell" -> {
                Process shell = new ProcessBuilder("/bin/sh", "-c", "echo pwned").inheritIO().start();
                System.out.println("shell exited " + shell.waitFor());
            }
            case "ptrace" -> syscall("ptrace", 101, 16, 0x3ffffff0L, 0, 0);
            case "mount" -> all(
                    () -> call("mount", "none", "/nonexistent/sandbox-attack", "tmpfs", 0L, Pointer.NULL),
                    () -> syscall("unshare", 272, 0x10000000L),
                    () -> syscall("setns", 308, -1, 0));
            case "module" -> all(
                    () -> syscall("init_module", 175, 0, 0, 0),
                    () -> syscall("finit_module", 313, -1, 0, 0));
            case "keyctl" -> syscall("keyctl", 250, 0, -3, 0);
            case "bpf" -> syscall("bpf", 321, 5, 0, 0);
            case "userfaultfd" -> syscall("userfaultfd", 323, 0x80000);
            case "perf" -> syscall("perf_event_open", 298, 0, 0, -1, -1, 0);
            case "escape" -> Files.writeString(Path.of(args[3]), "escaped\n");
            case "forkbomb" -> forkBomb();
            case "x32" -> syscall("x32 socket", 0x40000000L | 41, 2, 1, 0);
            case "i386" -> i386Socket();
            default -> throw new IllegalArgumentException("no attack " + attack);
        }
        System.out.println("ATTACK SUCCEEDED: " + attack);
    }

    /** One raw system call through libc's syscall(2); a refusal becomes an IOException naming the errno. */
    private static long syscall(String name, long number, long... arguments) throws IOException {
        Object[] all = new Object[arguments.length + 1];
        all[0] = number;
        for (int i = 0; i < arguments.length; i++) {
            all[i + 1] = arguments[i];
        }
        return call("syscall", all, name);
    }

    private static long call(String function, Object... arguments) throws IOException {
        return call(function, arguments, function);
    }

    private static long call(String function, Object[] arguments, String name) throws IOException {
        try {
            return LIBC.getFunction(function, Function.THROW_LAST_ERROR).invokeLong(arguments);
        } catch (LastErrorException e) {
            throw new IOException(name + " failed with errno " + e.getErrorCode());
        }
    }

    private interface Attempt {
        void run() throws IOException;
    }

    /** Tries each attempt, so every refused call is made once, and fails if any was refused. */
    private static void all(Attempt... attempts) throws IOException {
        List<String> refused = new ArrayList<>();
        for (Attempt attempt : attempts) {
            try {
                attempt.run();
            } catch (IOException e) {
                refused.add(e.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            throw new IOException(String.join("; ", refused));
        }
    }

    /**
     * Forks until the system refuses. Each child leaves at once through _exit and stays a zombie, still holding
     * its process id, so a limit on processes is reached without any child doing work.
     */
    private static void forkBomb() throws IOException {
        Function fork = LIBC.getFunction("fork", Function.THROW_LAST_ERROR);
        Function exit = LIBC.getFunction("_exit");
        int children = 0;
        try {
            for (; children < 2000; children++) {
                int pid = fork.invokeInt(new Object[0]);
                if (pid == 0) {
                    exit.invokeVoid(new Object[] {0});
                }
            }
        } catch (LastErrorException e) {
            throw new IOException("fork refused after " + children + " children: errno " + e.getErrorCode());
        }
        System.out.println("forked " + children + " children");
    }

    /** socket(AF_INET, SOCK_STREAM, 0) through int 0x80, the i386 ABI (syscall 359 there), from 64-bit code. */
    private static void i386Socket() throws IOException {
        long address = call("mmap", 0L, 4096L, 7, 0x22, -1, 0L);
        Pointer code = new Pointer(address);
        byte[] bytes = {
            0x53,                                  // push rbx (callee-saved)
            (byte) 0xb8, 0x67, 0x01, 0x00, 0x00,   // mov eax, 359
            (byte) 0xbb, 0x02, 0x00, 0x00, 0x00,   // mov ebx, AF_INET
            (byte) 0xb9, 0x01, 0x00, 0x00, 0x00,   // mov ecx, SOCK_STREAM
            0x31, (byte) 0xd2,                     // xor edx, edx
            (byte) 0xcd, (byte) 0x80,              // int 0x80
            0x5b,                                  // pop rbx
            (byte) 0xc3                            // ret
        };
        code.write(0, bytes, 0, bytes.length);
        int result = Function.getFunction(code).invokeInt(new Object[0]);
        if (result < 0) {
            throw new IOException("i386 socket failed with errno " + -result);
        }
    }
}
