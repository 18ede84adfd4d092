package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeccompAuditRecordTest {

    /** Copied from this machine's kernel log, produced by dash's umask under SCMP_ACT_LOG in a container. */
    private static final String LOGGED = "audit: type=1326 audit(1796089929.188:2): auid=4294967295 uid=65534"
            + " gid=65534 ses=4294967295 subj=unconfined pid=6803 comm=\"sh\" exe=\"/bin/sh\" sig=0 arch=c000003e"
            + " syscall=95 compat=0 ip=0x7f802c1b6d47 code=0x7ffc0000";

    @Test
    void readsTheFieldsTheKernelPrints() {
        SeccompAuditRecord record = SeccompAuditRecord.parse(LOGGED).orElseThrow();
        assertEquals(1_796_089_929_188L, record.epochMillis());
        assertEquals(2, record.serial());
        assertEquals(6803, record.pid());
        assertEquals(65534, record.uid());
        assertEquals("sh", record.comm());
        assertEquals("/bin/sh", record.executable());
        assertEquals(0xC000003E, record.auditArch());
        assertEquals(95, record.syscall());
        assertEquals(0x7ffc0000, record.code());
    }

    @Test
    void decodesNamesTheKernelPrintedAsHex() {
        String jvmThread = LOGGED.replace("comm=\"sh\"", "comm=433220436F6D70696C6572546872")
                .replace("sig=0", "sig=31").replace("code=0x7ffc0000", "code=0x80000000");
        SeccompAuditRecord record = SeccompAuditRecord.parse(jvmThread).orElseThrow();
        assertEquals("C2 CompilerThr", record.comm());
        assertEquals(31, record.signal());
        assertEquals(0x80000000, record.code());
    }

    @Test
    void ignoresEverythingElse() {
        for (String other : List.of("audit: type=1400 audit(1.2:3): apparmor=\"DENIED\"",
                "cgroup: fork rejected by pids controller in /docker/abc",
                LOGGED.replace("pid=6803 ", ""),
                "")) {
            assertEquals(Optional.empty(), SeccompAuditRecord.parse(other), other);
        }
    }

    @Test
    void kernelLogRecordsSplitHeaderMessageAndDictionary() {
        KernelLogRecord record = KernelLogRecord.parse("5,1234,434652985,-;" + LOGGED + "\n SUBSYSTEM=audit\n")
                .orElseThrow();
        assertEquals(1234, record.sequence());
        assertEquals(434_652_985L, record.monotonicMicros());
        assertEquals(LOGGED, record.message());
        assertTrue(KernelLogRecord.parse("no header here").isEmpty());
    }
}
