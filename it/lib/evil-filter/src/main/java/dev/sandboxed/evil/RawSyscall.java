package dev.sandboxed.evil;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * System calls by number through libc's {@code syscall(2)}, reached with JNA, so the payload can make calls the
 * JDK has no API for. JNA unpacks its stub library into a temporary directory first; the payload points it at the
 * application's own output directory, the one place a sandbox has to leave writable.
 */
final class RawSyscall {
    private static final Map<Integer, String> ERRNO_NAMES = Map.ofEntries(Map.entry(1, "EPERM"),
            Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(7, "E2BIG"), Map.entry(9, "EBADF"), Map.entry(13, "EACCES"),
            Map.entry(14, "EFAULT"), Map.entry(22, "EINVAL"), Map.entry(30, "EROFS"), Map.entry(38, "ENOSYS"));

    private final Function syscall;
    private final Function mmap;

    private RawSyscall(Function syscall, Function mmap) {
        this.syscall = syscall;
        this.mmap = mmap;
    }

    static RawSyscall load(Target target) {
        Optional<Path> output = target.output();
        if (System.getProperty("jna.tmpdir") == null && output.isPresent() && Files.isWritable(output.get())) {
            System.setProperty("jna.tmpdir", output.get().toString());
        }
        NativeLibrary libc = NativeLibrary.getInstance("libc.so.6");
        return new RawSyscall(libc.getFunction("syscall"), libc.getFunction("mmap"));
    }

    /** Calls {@code syscall(number, arguments...)}; arguments are Longs, Strings (as C strings) or null. */
    String call(long number, Object... arguments) {
        Object[] all = new Object[arguments.length + 1];
        all[0] = number;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        long result = syscall.invokeLong(all);
        return result == -1 ? refused(Native.getLastError()) : "the call returned " + result;
    }

    /** Runs {@code code}, machine code for this CPU, from a fresh executable page; returns what it leaves in rax. */
    long runMachineCode(byte[] code) {
        long protReadWriteExec = 7;
        long mapPrivateAnonymous = 0x22;
        Pointer page = (Pointer) mmap.invoke(Pointer.class, new Object[] {null, 4096L, protReadWriteExec,
                mapPrivateAnonymous, -1, 0L});
        if (Pointer.nativeValue(page) == -1) {
            throw new IllegalStateException("mmap of an executable page " + refused(Native.getLastError()));
        }
        page.write(0, code, 0, code.length);
        return Function.getFunction(page).invokeLong(new Object[0]);
    }

    static String refused(int errno) {
        return "refused with errno " + errno + " (" + ERRNO_NAMES.getOrDefault(errno, "?") + ")";
    }

    static boolean isX86() {
        return System.getProperty("os.arch", "").toLowerCase(Locale.ROOT).matches("amd64|x86_64");
    }
}
