package dev.sandboxed.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's audit record of one seccomp decision ({@code type=1326}, {@code AUDIT_SECCOMP}), logged for kill
 * actions and {@code SECCOMP_RET_LOG} always, and for the other non-allow actions when the filter was installed
 * with {@code SECCOMP_FILTER_FLAG_LOG}.
 *
 * @param epochMillis the record's wall-clock time ({@code audit(seconds.millis:serial)})
 * @param serial the audit serial number
 * @param pid the process id in the initial pid namespace (not the container's)
 * @param uid the real user id
 * @param comm the thread's name
 * @param executable the executable's path as the process sees it (inside a container: the container's path)
 * @param auditArch the {@code AUDIT_ARCH_*} of the call
 * @param syscall the syscall number
 * @param signal the signal the action sent, 0 for none
 * @param code the filter's action without its data, e.g. {@code 0x7ffc0000} for log
 */
public record SeccompAuditRecord(long epochMillis, long serial, int pid, long uid, String comm, String executable,
                                 int auditArch, int syscall, int signal, int code) {

    public static final int AUDIT_SECCOMP = 1326;

    private static final Pattern HEADER = Pattern.compile(
            "^audit: type=" + AUDIT_SECCOMP + " audit\\((\\d+)\\.(\\d{3}):(\\d+)\\): (.*)$");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    public SeccompAuditRecord {
        Objects.requireNonNull(comm, "comm");
        Objects.requireNonNull(executable, "executable");
    }

    /** Parses a kernel log message; anything that is not a seccomp audit record gives empty. */
    public static Optional<SeccompAuditRecord> parse(String message) {
        Matcher header = HEADER.matcher(message);
        if (!header.matches()) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        Matcher field = FIELD.matcher(header.group(4));
        while (field.find()) {
            fields.putIfAbsent(field.group(1), field.group(2));
        }
        try {
            long epochMillis = Long.parseLong(header.group(1)) * 1000 + Integer.parseInt(header.group(2));
            return Optional.of(new SeccompAuditRecord(epochMillis, Long.parseLong(header.group(3)),
                    Integer.parseInt(required(fields, "pid")),
                    Long.parseLong(fields.getOrDefault("uid", "-1")),
                    untrusted(fields.getOrDefault("comm", "")),
                    untrusted(fields.getOrDefault("exe", "")),
                    (int) Long.parseLong(required(fields, "arch"), 16),
                    Integer.parseInt(required(fields, "syscall")),
                    Integer.parseInt(fields.getOrDefault("sig", "0")),
                    (int) Long.parseLong(stripHexPrefix(required(fields, "code")), 16)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name);
        }
        return value;
    }

    /**
     * Audit prints strings a process controls (its name, its path) in quotes when they are harmless and as hex
     * when they hold spaces, quotes or control characters, so a thread named {@code C2 CompilerThre} arrives as
     * hex.
     */
    private static String untrusted(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        if (value.equals("(null)")) {
            return "";
        }
        if (value.length() % 2 == 0 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return new String(HexFormat.of().parseHex(value), StandardCharsets.UTF_8);
        }
        return value;
    }

    private static String stripHexPrefix(String value) {
        return value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
    }
}
