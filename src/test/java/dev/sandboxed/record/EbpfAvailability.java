package dev.sandboxed.record;

import dev.sandboxed.linux.Linux;
import org.junit.jupiter.api.Assumptions;

/** Skips a test, saying why, where this process may not use eBPF (not root, a container without CAP_BPF). */
final class EbpfAvailability {

    private static final String WHY = probe();

    private EbpfAvailability() {
    }

    private static String probe() {
        try (EbpfProbes probes = EbpfProbes.attach(Linux.load())) {
            return null;
        } catch (EbpfUnavailableException e) {
            return e.getMessage();
        }
    }

    static void assumeAvailable() {
        if (WHY != null) {
            System.out.println("eBPF test skipped: " + WHY);
        }
        Assumptions.assumeTrue(WHY == null, WHY);
    }
}
