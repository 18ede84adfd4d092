package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

    private static final ContainerUser NOBODY = new ContainerUser(ContainerUser.NOBODY, ContainerUser.NOBODY);

    @Test
    void theDefaultsAreTheHardenedOnes() {
        List<String> options = ContainerSpec.of("app:1", List.of("java", "Main"))
                .withSeccompProfile(Path.of("/policies/seccomp.json"))
                .createOptions("run-1", NOBODY, Map.of(DockerSandbox.RUN_LABEL, "42"));
        for (List<String> pair : List.of(
                List.of("--security-opt", "seccomp=/policies/seccomp.json"),
                List.of("--security-opt", "no-new-privileges"),
                List.of("--cap-drop", "ALL"),
                List.of("--network", "none"),
                List.of("--pids-limit", "512"),
                List.of("--memory", Long.toString(1L << 30)),
                List.of("--memory-swap", Long.toString(1L << 30)),
                List.of("--user", "65534:65534"),
                List.of("--label", "dev.sandboxed.run=42"),
                List.of("--name", "run-1"))) {
            assertTrue(Collections.indexOfSubList(options, pair) >= 0, pair + " in " + options);
        }
        assertTrue(options.contains("--read-only"));
        assertTrue(options.contains("/tmp:rw,nosuid,nodev,mode=1777,size=67108864"), options.toString());
    }

    @Test
    void networkOnlyWhenThePolicyAllowsInetSockets() {
        List<String> options = ContainerSpec.of("app:1", List.of("java")).withNetwork(true)
                .createOptions("n", NOBODY, Map.of());
        assertFalse(options.contains("none"), options.toString());
    }

    @Test
    void inputsAreReadOnlyAndTheOutputIsNot() {
        List<String> options = ContainerSpec.of("app:1", List.of("java"))
                .withInput(Path.of("/data/in,put"), "/in")
                .withOutput(Path.of("/data/out"), "/out")
                .createOptions("n", NOBODY, Map.of());
        assertTrue(options.contains("type=bind,\"source=/data/in,put\",target=/in,readonly"), options.toString());
        assertTrue(options.contains("type=bind,source=/data/out,target=/out"), options.toString());
    }

    @Test
    void nonsenseIsRejectedWithTheReason() {
        ContainerSpec spec = ContainerSpec.of("app:1", List.of("java"));
        assertThrows(IllegalArgumentException.class, () -> ContainerSpec.of("app:1", List.of()));
        assertThrows(IllegalArgumentException.class, () -> spec.withPidsLimit(0));
        assertThrows(IllegalArgumentException.class, () -> spec.withMemoryBytes(1024));
        assertThrows(IllegalArgumentException.class, () -> spec.withInput(Path.of("/in"), "relative"));
        IllegalArgumentException badName = assertThrows(IllegalArgumentException.class,
                () -> spec.withEnvironment(Map.of("A=B", "c")));
        assertTrue(badName.getMessage().contains("A=B"));
    }
}
