package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViolationsJsonTest {

    @TempDir
    Path temp;

    @Test
    void aggregatesEqualCallsAndSortsThem() {
        Violations violations = Violations.of(List.of(
                violation("write", 1, "/usr/bin/gzip", "log"),
                violation("chdir", 80, "/bin/sh", "log"),
                violation("write", 1, "/usr/bin/gzip", "log"),
                violation("chdir", 80, "/bin/sh", "kill-process")), List.of("note"));
        assertEquals(List.of("chdir kill-process 1", "chdir log 1", "write log 2"),
                violations.violations().stream().map(v -> v.syscall() + " " + v.action() + " " + v.count()).toList());
    }

    @Test
    void turnsKernelRecordsIntoNamedViolations() {
        SeccompAuditRecord x32 = new SeccompAuditRecord(1L, 3L, 10, 65534, "java", "/opt/java/bin/java", 0xC000003E,
                0x40000029, 31, 0x80000000);
        SeccompAuditRecord record = new SeccompAuditRecord(1L, 1L, 10, 65534, "sh", "/bin/sh", 0xC000003E, 80, 0,
                0x7ffc0000);
        SeccompAuditRecord i386 = new SeccompAuditRecord(1L, 2L, 10, 65534, "sh", "", 0x40000003, 12, 31,
                0x80000000);
        Violations violations = Violations.fromKernel(new KernelEvents(true, List.of(record, record, i386, x32), false,
                List.of()));
        assertEquals(List.of(
                        new Violation("i386:12", 12, "i386", "sh", "kill-process", 1, new TreeMap<>()),
                        new Violation("chdir", 80, "x86_64", "/bin/sh", "log", 2, new TreeMap<>()),
                        new Violation("x32:socket", 0x40000029, "x86_64", "/opt/java/bin/java", "kill-process", 1,
                                new TreeMap<>())),
                violations.violations());
    }

    @Test
    void writesSortedKeysWithUnixLineEndsAndTheSameBytesEveryTime() throws IOException {
        TreeMap<Integer, SortedSet<Long>> arguments = new TreeMap<>();
        arguments.put(0, new TreeSet<>(List.of(2L, 10L)));
        Violations violations = Violations.of(List.of(
                new Violation("socket", 41, "x86_64", "/opt/java/bin/java", "errno", 3, arguments)), List.of());
        Path file = temp.resolve("reports/violations.json");
        ViolationsJson.write(violations, file);
        String expected = """
                {
                  "filesystem" : [ ],
                  "limits" : [ ],
                  "violations" : [
                    {
                      "action" : "errno",
                      "arch" : "x86_64",
                      "argumentValues" : {
                        "0" : [
                          2,
                          10
                        ]
                      },
                      "arguments" : "",
                      "count" : 3,
                      "executable" : "/opt/java/bin/java",
                      "fix" : "",
                      "number" : 41,
                      "syscall" : "socket"
                    }
                  ],
                  "warnings" : [ ]
                }
                """;
        assertEquals(expected, Files.readString(file));
        ViolationsJson.write(violations, file);
        assertEquals(expected, Files.readString(file));
        assertEquals(List.of(file), Files.list(file.getParent()).toList(), "no temporary file is left behind");
    }

    @Test
    void aViolationIsSeenAtLeastOnce() {
        assertThrows(IllegalArgumentException.class,
                () -> new Violation("read", 0, "x86_64", "/bin/sh", "log", 0, new TreeMap<>()));
    }

    private static Violation violation(String name, int number, String executable, String action) {
        return new Violation(name, number, "x86_64", executable, action, 1, new TreeMap<>());
    }
}
