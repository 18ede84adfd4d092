package dev.sandboxed.policy;

import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubernetesProfileTest {

    private static Policy small() {
        List<Rule> rules = List.of(
                Rule.allow("read", "input"),
                Rule.allow("write", "input"),
                Rule.of("socket", Action.allow(), "unix sockets", Condition.of(0, Operator.EQ, 1, Width.BITS32)),
                Rule.of("clone", Action.allow(), "", Condition.masked(0, 0x7e020000L, 0, Width.BITS64)),
                Rule.of("clone3", Action.errno(38), "libc falls back to clone"));
        Map<Arch, List<Rule>> byArch = new TreeMap<>(Map.of(Arch.X86_64, rules, Arch.AARCH64, rules));
        return new Policy(Action.errno(1), new TreeMap<>(byArch),
                new RuntimeOptions(new TreeSet<>(Set.of("SECCOMP_FILTER_FLAG_LOG")), "", ""));
    }

    @Test
    void writesTheOperatorsSchemaAsDeterministicYaml() {
        KubernetesProfile.Export export = KubernetesProfile.write(small(), "my-app");
        assertEquals("""
                apiVersion: security-profiles-operator.x-k8s.io/v1beta1
                kind: SeccompProfile
                metadata:
                  name: my-app
                spec:
                  defaultAction: SCMP_ACT_ERRNO
                  architectures:
                  - SCMP_ARCH_AARCH64
                  - SCMP_ARCH_X86_64
                  flags:
                  - SECCOMP_FILTER_FLAG_LOG
                  syscalls:
                  - action: SCMP_ACT_ALLOW
                    args:
                    - index: 0
                      op: SCMP_CMP_MASKED_EQ
                      value: 2114060288
                      valueTwo: 0
                    names:
                    - clone
                  # libc falls back to clone
                  - action: SCMP_ACT_ERRNO
                    errnoRet: 38
                    names:
                    - clone3
                  # input
                  - action: SCMP_ACT_ALLOW
                    names:
                    - read
                    - write
                  # unix sockets
                  - action: SCMP_ACT_ALLOW
                    args:
                    - index: 0
                      op: SCMP_CMP_MASKED_EQ
                      value: 4294967295
                      valueTwo: 1
                    names:
                    - socket
                """, export.yaml());
        assertEquals(List.of(), export.warnings());
        assertEquals(export, KubernetesProfile.write(small(), "my-app"));
    }

    @Test
    void dockerDefaultExportsWithoutWideningAnyArchitecture() {
        Policy policy = DockerProfile.read(SharedCorpus.file("docker-default.json")).policy();
        KubernetesProfile.Export export = KubernetesProfile.write(policy, "docker-default");
        assertTrue(export.yaml().contains("\n  - action: SCMP_ACT_ALLOW\n    names:\n    - accept\n"), export.yaml());
        assertTrue(export.yaml().contains("\n  - action: SCMP_ACT_ERRNO\n    errnoRet: 38\n    names:\n    - clone3\n"));
        assertEquals(List.of(), export.warnings(), "its rules differ only where a name exists on one machine");
    }

    @Test
    void architecturesGetEachOthersRulesWithAWarning() {
        Policy policy = Policy.of(Action.errno(1), Map.of(
                Arch.X86_64, List.of(Rule.allow("poll", "wait")),
                Arch.AARCH64, List.of(Rule.allow("ppoll", "wait"))));
        KubernetesProfile.Export export = KubernetesProfile.write(policy, "waiter");
        assertTrue(export.yaml().contains("    names:\n    - poll\n    - ppoll\n"), export.yaml());
        assertEquals(List.of("x86_64 also gets 1 rule(s) of other architectures, since a Kubernetes SeccompProfile has "
                + "no per-architecture rules: [ppoll -> allow]"), export.warnings());
    }

    @Test
    void refusesWhatTheOperatorCannotHold() {
        Policy enosysDefault = Policy.of(Action.errno(38), Map.of(Arch.X86_64, List.of(Rule.allow("read", ""))));
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> KubernetesProfile.write(enosysDefault, "x"));
        assertTrue(e.getMessage().contains("no defaultErrnoRet"), e.getMessage());

        Policy huge = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
                Rule.of("lseek", Action.allow(), "", Condition.of(1, Operator.LT, -2L, Width.BITS64)))));
        e = assertThrows(InvalidPolicyException.class, () -> KubernetesProfile.write(huge, "x"));
        assertTrue(e.getMessage().contains("exceeds the operator's limit"), e.getMessage());

        Policy contradicting = Policy.of(Action.errno(1), Map.of(
                Arch.X86_64, List.of(Rule.allow("read", "")),
                Arch.AARCH64, List.of(Rule.of("read", Action.killProcess(), ""))));
        e = assertThrows(InvalidPolicyException.class, () -> KubernetesProfile.write(contradicting, "x"));
        assertTrue(e.getMessage().contains("no per-architecture rules"), e.getMessage());

        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> KubernetesProfile.write(small(), "My_App"));
        assertTrue(name.getMessage().contains("not a valid Kubernetes object name"), name.getMessage());
    }

    @Test
    void writesAtomically(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("k8s/seccomp-profile.yaml");
        assertEquals(List.of(), PolicyFiles.writeKubernetes(file, small(), "my-app"));
        assertEquals(KubernetesProfile.write(small(), "my-app").yaml(), Files.readString(file));
    }
}
