package dev.sandboxed.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example in docs/policy-format.md is a valid policy in canonical form. */
class DocExamplesTest {

    @Test
    void theDocumentedExampleReadsAndIsCanonical() throws IOException {
        String doc = Files.readString(Path.of("docs/policy-format.md"));
        Matcher first = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(first.find());
        String example = first.group(1);
        LoadedPolicy loaded = PolicyFormat.parse(Path.of("policy.json"), example);
        assertEquals(example, PolicyFormat.write(loaded.policy()));
    }
}
