package dev.sandboxed.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /proc/<pid>/status}: what the kernel says about a task's credentials, seccomp state and tracer, which is
 * how a failure to ptrace or to install a filter is explained to the user instead of just reported.
 */
public final class ProcStatus {

    public static final int CAP_SYS_PTRACE = 19;
    public static final int CAP_SYS_ADMIN = 21;

    private final Map<String, String> fields;

    private ProcStatus(Map<String, String> fields) {
        this.fields = fields;
    }

    public static ProcStatus self() {
        return read(Path.of("/proc/self/status"));
    }

    public static ProcStatus of(int pid) {
        return read(Path.of("/proc", Integer.toString(pid), "status"));
    }

    static ProcStatus read(Path file) {
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            return new ProcStatus(fields);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    private long number(String name) {
        return field(name).map(Long::parseLong).orElse(0L);
    }

    /** 0 none, 1 strict, 2 filter. */
    public int seccompMode() {
        return (int) number("Seccomp");
    }

    public int seccompFilters() {
        return (int) number("Seccomp_filters");
    }

    public boolean noNewPrivs() {
        return number("NoNewPrivs") != 0;
    }

    public int tracerPid() {
        return (int) number("TracerPid");
    }

    public int tgid() {
        return (int) number("Tgid");
    }

    public boolean hasEffectiveCapability(int capability) {
        long effective = field("CapEff").map(hex -> Long.parseUnsignedLong(hex, 16)).orElse(0L);
        return (effective & (1L << capability)) != 0;
    }
}
