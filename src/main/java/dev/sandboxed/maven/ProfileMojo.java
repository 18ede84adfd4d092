package dev.sandboxed.maven;

import dev.sandboxed.bpf.ProgramTooLargeException;
import dev.sandboxed.goals.ProfileGoal;
import dev.sandboxed.record.RecordingStore;
import dev.sandboxed.policy.InvalidPolicyException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the committed policy and the recordings into seccomp policies: {@code seccomp.json} (Docker, Podman,
 * OCI), {@code seccomp-<arch>.bpf} (raw BPF for bubblewrap or prctl), {@code seccomp-<arch>.txt} (disassembly),
 * {@code seccompprofile.yaml} (Kubernetes Security Profiles Operator) and {@code policy.json} (the merged policy).
 * Works without a project: {@code -Dsandbox.policy=FILE -Dsandbox.outputDirectory=DIR}.
 */
@Mojo(name = "profile", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, requiresProject = false, threadSafe = true)
public final class ProfileMojo extends SandboxMojo {

    /**
     * The committed policy, in this plugin's format or Docker's (the format is detected). When it does not exist,
     * the recordings alone are compiled.
     */
    @Parameter(property = "sandbox.policy", defaultValue = "${basedir}/src/main/sandbox/policy.json")
    private File policy;

    /**
     * One recording to compile. Without it, every {@code recording*.json} in the output directory is merged.
     */
    @Parameter(property = "sandbox.recording")
    private File recording;

    /** Writes the merged policy back to {@code policy} and prints the diff: the developer's profile refresh. */
    @Parameter(property = "sandbox.update", defaultValue = "false")
    private boolean update;

    /**
     * Capabilities the container keeps, for resolving a Docker profile's {@code includes}/{@code excludes}. None by
     * default, because {@code verify} drops every capability.
     */
    @Parameter(property = "sandbox.capabilities")
    private List<String> capabilities = List.of();

    /** {@code metadata.name} of the Kubernetes {@code SeccompProfile}. */
    @Parameter(property = "sandbox.profileName", defaultValue = "${project.artifactId}")
    private String profileName;

    private static final String DEFAULT_POLICY = "src/main/sandbox/policy.json";

    /**
     * A Docker profile the HTML report compares the policy with: how many fewer syscalls this application's policy
     * allows, and which risky ones it still allows. Point it at Docker's default profile.
     */
    @Parameter(property = "sandbox.compareWith")
    private File compareWith;

    @Override
    String goal() {
        return "profile";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Path out = outputDirectory.toPath();
        List<Path> recordings = recording != null ? List.of(recording.toPath()) : RecordingStore.in(out);
        if (recording != null && !recording.isFile()) {
            throw new MojoFailureException("sandbox.recording: " + recording + " does not exist; record one with "
                    + "sandbox:record or point the parameter at an existing file");
        }
        if (compareWith != null && !compareWith.isFile()) {
            throw new MojoFailureException("sandbox.compareWith: " + compareWith + " does not exist; point it at a Docker "
                    + "seccomp profile such as Docker's default");
        }
        ProfileGoal.Request request = new ProfileGoal.Request(policy.toPath(), !policy.toPath().equals(basedir.toPath().resolve(DEFAULT_POLICY)),
                recordings, out, update, Set.copyOf(capabilities), profileName(profileName),
                Optional.ofNullable(compareWith).map(File::toPath));
        try {
            new ProfileGoal(console()).run(request);
        } catch (InvalidPolicyException e) {
            throw new MojoFailureException(parameterFor(e) + ": " + e.getMessage(), e);
        } catch (ProgramTooLargeException e) {
            throw new MojoFailureException("sandbox.policy: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    private String parameterFor(InvalidPolicyException e) {
        if (e.location() != null && recording == null && e.location().file().getFileName().toString().startsWith("recording")) {
            return "sandbox.recording";
        }
        return recording != null && e.location() != null && e.location().file().equals(recording.toPath())
                ? "sandbox.recording" : "sandbox.policy";
    }
}
