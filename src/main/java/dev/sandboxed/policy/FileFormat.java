package dev.sandboxed.policy;

/** The file formats a policy is read from or written to. */
public enum FileFormat {
    /** This plugin's reviewed policy, {@code src/main/sandbox/policy.json}; see {@link PolicyFormat}. */
    SANDBOX,
    /** A Docker/OCI seccomp profile; see {@link DockerProfile}. */
    DOCKER,
    /** A Security Profiles Operator {@code SeccompProfile}, written only; see {@link KubernetesProfile}. */
    KUBERNETES,
    /** A recording, read as the policy {@link PolicyGenerator} derives from it. */
    RECORDING
}
