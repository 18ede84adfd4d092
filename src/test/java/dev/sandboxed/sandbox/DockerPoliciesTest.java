package dev.sandboxed.sandbox;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.DockerProfile;
import dev.sandboxed.policy.Operator;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Width;
import dev.sandboxed.syscall.Arch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerPoliciesTest {

    private final Policy policy = Policy.of(Action.errno(1), Map.of(Arch.X86_64, List.of(
            Rule.allow("read", "app"),
            Rule.of("fcntl", Action.allow(), "app", Condition.of(1, Operator.EQ, 3, Width.BITS32)),
            Rule.of("ptrace", Action.killProcess(), "never"))));

    @Test
    void theRuntimesCallsAreAddedOnlyWhereThePolicySaysNothing() {
        Set<String> added = DockerPolicies.added(policy, Arch.X86_64);
        assertTrue(added.containsAll(Set.of("fstatfs", "epoll_ctl", "chdir")), added.toString());
        assertFalse(added.contains("read"), "already allowed");
        assertFalse(added.contains("fcntl"), "the policy's own conditions stay");
        Policy enforcing = DockerPolicies.enforcing(policy);
        assertEquals(Action.allow(), enforcing.rules(Arch.X86_64, "fstatfs").get(0).action());
        assertTrue(enforcing.rules(Arch.X86_64, "fstatfs").get(0).reason().contains("runc"));
        assertEquals(Set.of(), DockerPolicies.added(Policy.of(Action.allow(), Map.of(Arch.X86_64, List.of())),
                Arch.X86_64), "nothing to add when the default allows");
    }

    @Test
    void complainingLogsWhatEnforcingRefuses() {
        Policy complaining = DockerPolicies.complaining(policy);
        assertEquals(Action.log(), complaining.defaultAction());
        assertEquals(Action.log(), complaining.rules(Arch.X86_64, "ptrace").get(0).action());
        assertEquals(policy.rules(Arch.X86_64, "fcntl"), complaining.rules(Arch.X86_64, "fcntl"));
        assertTrue(DockerProfile.write(complaining).contains("\"defaultAction\": \"SCMP_ACT_LOG\""));
    }
}
