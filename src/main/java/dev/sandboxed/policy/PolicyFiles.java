package dev.sandboxed.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxed.json.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one way the plugin reads and writes policy files. {@link #read} accepts whatever a user is likely to point
 * it at — this plugin's policy, a Docker/OCI profile, or a recording (converted with {@link PolicyGenerator}) —
 * and tells them apart by content, not file name. Writers replace files atomically (see {@link AtomicFiles}).
 */
public final class PolicyFiles {

    private PolicyFiles() {
    }

    /** Reads any supported file, Docker profiles for a container without capabilities, recordings with defaults. */
    public static LoadedPolicy read(Path file) {
        return read(file, DockerProfile.NO_CAPABILITIES, PolicyGenerator.Options.defaults());
    }

    public static LoadedPolicy read(Path file, Set<String> dockerCapabilities, PolicyGenerator.Options recordingOptions) {
        Objects.requireNonNull(file, "file");
        String text = JsonInput.readText(file);
        if (text.startsWith("apiVersion:") || text.contains("\nkind: SeccompProfile")) {
            throw new InvalidPolicyException("this is a Kubernetes SeccompProfile, which the plugin writes but does not "
                    + "read; point it at the policy (" + PolicyFormat.DEFAULT_LOCATION + ") or a Docker profile",
                    Location.of(file), null);
        }
        JsonInput in = JsonInput.parse(file, text);
        return switch (detect(in)) {
            case SANDBOX -> PolicyFormat.read(in);
            case DOCKER -> DockerProfile.read(in, dockerCapabilities);
            case RECORDING -> {
                LoadedPolicy generated = PolicyGenerator.generate(RecordingFormat.read(in), recordingOptions);
                yield new LoadedPolicy(generated.policy(), FileFormat.RECORDING, generated.warnings().stream()
                        .map(warning -> file + ": " + warning).toList());
            }
            case KUBERNETES -> throw new IllegalStateException("detect never answers KUBERNETES");
        };
    }

    /** Tells the JSON formats apart by their defining keys. */
    static FileFormat detect(JsonInput in) {
        ObjectNode root = in.rootObject("a policy, Docker profile or recording");
        if (root.has("rules") || root.has("baseArchitecture")) {
            return FileFormat.SANDBOX;
        }
        if (root.has("runs") || root.has("components")) {
            return FileFormat.RECORDING;
        }
        JsonNode defaultAction = root.get("defaultAction");
        if (root.has("syscalls") || defaultAction != null && defaultAction.isTextual()
                && defaultAction.textValue().startsWith("SCMP_ACT_")) {
            return FileFormat.DOCKER;
        }
        throw in.error(root, "neither a policy (it has no \"rules\"), a Docker profile (no \"syscalls\") nor a "
                + "recording (no \"runs\")");
    }

    public static Recording readRecording(Path file) {
        return RecordingFormat.read(file);
    }

    public static void write(Path file, Policy policy) {
        replace(file, PolicyFormat.write(policy));
    }

    public static void writeDocker(Path file, Policy policy) {
        replace(file, DockerProfile.write(policy));
    }

    /** Writes the Kubernetes profile and returns the export's warnings (see {@link KubernetesProfile}). */
    public static List<String> writeKubernetes(Path file, Policy policy, String name) {
        KubernetesProfile.Export export = KubernetesProfile.write(policy, name);
        replace(file, export.yaml());
        return export.warnings();
    }

    public static void writeRecording(Path file, Recording recording) {
        replace(file, RecordingFormat.write(recording));
    }

    private static void replace(Path file, String text) {
        Objects.requireNonNull(file, "file");
        try {
            AtomicFiles.write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
