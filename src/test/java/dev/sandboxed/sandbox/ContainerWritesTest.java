package dev.sandboxed.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContainerWritesTest {

    @Test
    void onlyTheApplicationsOwnWritesOutsideTheMountsAreListed() {
        List<ContainerChange> changes = List.of(
                change("A /work"), change("A /work/project"), change("A /work/project/in.txt"),
                change("A /work/project/out"), change("C /etc"), change("A /etc/escape.txt"),
                change("D /opt/java/release"), change("C /opt/java/conf/x.properties"),
                change("A /root"), change("A /root/.cache"));
        List<FilesystemViolation> violations = ContainerWrites.outsideMounts(changes,
                List.of("/work/project/in.txt", "/work/project/out"), Set.of("/root"));
        assertEquals(List.of("create /etc/escape.txt", "delete /opt/java/release", "write /opt/java/conf/x.properties"),
                violations.stream().map(v -> v.access() + " " + v.path()).toList());
        assertEquals(Set.of("read-only root"), Set.copyOf(violations.stream().map(FilesystemViolation::limit).toList()));
    }

    @Test
    void diffLinesParse() {
        assertEquals(Optional.of(new ContainerChange("A", "/a b")), ContainerChange.parse("A /a b"));
        assertEquals(Optional.empty(), ContainerChange.parse("X /a"));
        assertEquals(Optional.empty(), ContainerChange.parse(""));
    }

    private static ContainerChange change(String line) {
        return ContainerChange.parse(line).orElseThrow();
    }
}
