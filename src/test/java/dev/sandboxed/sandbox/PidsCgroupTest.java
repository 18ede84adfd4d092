package dev.sandboxed.sandbox;

import dev.sandboxed.linux.LauncherCommand;
import dev.sandboxed.linux.LauncherOptions;
import dev.sandboxed.process.Command;
import dev.sandboxed.process.ProcessResult;
import dev.sandboxed.process.ProcessRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidsCgroupTest {

    @Test
    void theLauncherJoinsTheLimitHoldsAndClosingLeavesNothingBehind() throws Exception {
        PidsCgroup cgroup;
        try {
            cgroup = PidsCgroup.create(NativeSandbox.CGROUP_PREFIX + "test-" + UUID.randomUUID(), 4);
        } catch (IOException e) {
            System.out.println("Skipping: " + e.getMessage());
            Assumptions.abort(e.getMessage());
            return;
        }
        try (cgroup) {
            // The shell and three sleeps fit; the fourth fork is refused and the shell gives up. The sleeps stay.
            LauncherOptions options = LauncherOptions.builder().cgroup(cgroup.directory())
                    .command(List.of("sh", "-c", "for i in 1 2 3 4 5 6; do sleep 600 & done; exit 0")).build();
            LauncherCommand launcher = LauncherCommand.of(options, System.getenv());
            Map<String, String> environment = new LinkedHashMap<>();
            launcher.environment().forEach(v -> environment.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1)));
            ProcessResult result = ProcessRunner.create().run(Command.of(launcher.argv())
                    .withExactEnvironment(environment).withTimeout(Duration.ofSeconds(60)));
            assertEquals(2, result.exitCode(), result.stderrText());
            assertEquals("sh: 0: Cannot fork", result.stderrText());
            assertTrue(cgroup.limitReached());
            List<String> members = Files.readAllLines(cgroup.directory().resolve("cgroup.procs"));
            assertEquals(3, members.size(), "three sleeps remain: " + members);
        }
        assertFalse(Files.exists(cgroup.directory()), "closing removes the cgroup");
    }
}
