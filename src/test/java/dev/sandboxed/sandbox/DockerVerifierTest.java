package dev.sandboxed.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxed.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerVerifierTest {

    @TempDir
    Path temp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void engine() {
        TestEngine.requireDocker();
    }

    @Test
    void reportsTheCallTheComplainModePolicyLogged() throws IOException {
        TestEngine.requireKernelLog();
        // Everything is allowed except fdatasync, which the probe makes exactly once (FileChannel.force).
        Path profile = TestEngine.profile(temp, "SCMP_ACT_LOG", Map.of("fdatasync", "SCMP_ACT_LOG"), false);
        Path classes = ProbeApplication.compile(TestEngine.CACHE.resolve("probe"));
        Path out = temp.resolve("out");
        Path report = temp.resolve("sandbox/violations.json");

        DockerVerification verification = DockerVerifier.create(ProcessRunner.create(), TestEngine.CACHE).verifyJava(
                AppImageSpec.forCurrentJdk(List.of(classes)), ProbeApplication.MAIN_CLASS, List.of(),
                List.of("write", "/out"),
                spec -> spec.withSeccompProfile(profile).withOutput(out, "/out").withTimeout(Duration.ofMinutes(2)),
                report, output::add, output::add);

        assertEquals(RunOutcome.EXITED, verification.run().outcome(), verification.run().detail() + output);
        assertEquals(0, verification.run().exitCode());
        assertTrue(Files.exists(out.resolve("hello.txt")));
        List<Violation> fdatasync = verification.violations().violations().stream()
                .filter(violation -> violation.syscall().equals("fdatasync")).toList();
        assertEquals(1, fdatasync.size(), verification.violations().toString());
        assertEquals("/opt/java/bin/java", fdatasync.get(0).executable());
        assertEquals("log", fdatasync.get(0).action());
        assertEquals(ViolationsJson.toJson(verification.violations()), Files.readString(report));
    }

    @Test
    void anImageThatIsNotLoadedIsAnInfrastructureFailureWithAHint() {
        Path report = temp.resolve("violations.json");
        DockerVerification verification = DockerVerifier.create(ProcessRunner.create(), TestEngine.CACHE)
                .verifyImage("sandbox-maven-plugin/absent:1", List.of("true"), spec -> spec, report,
                        output::add, output::add);
        assertEquals(RunOutcome.INFRASTRUCTURE_FAILURE, verification.run().outcome());
        assertTrue(verification.run().detail().contains("docker load"), verification.run().detail());
        assertFalse(Files.exists(report), "an inconclusive run writes no report");
    }
}
