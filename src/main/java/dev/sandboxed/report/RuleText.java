package dev.sandboxed.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.PolicyFormat;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rule as the policy file spells it: the exact line, and its conditions and action in symbolic form
 * ({@code arg0 == AF_UNIX}, {@code errno(EPERM)}). Taken from {@link PolicyFormat#line}, so the report can never
 * show a rule differently from the file a reviewer edits.
 *
 * @param line the line the policy file holds for the rule, without the trailing comma
 * @param conditions the symbolic conditions, all of which must hold
 * @param action the action as the file writes it
 */
record RuleText(String line, List<String> conditions, String action) {

    private static final ObjectMapper READER = new ObjectMapper();

    RuleText {
        Objects.requireNonNull(line, "line");
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(action, "action");
    }

    static RuleText of(Arch arch, Rule rule) {
        String line = PolicyFormat.line(arch, rule);
        JsonNode node;
        try {
            node = READER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PolicyFormat.line wrote unreadable JSON: " + line, e);
        }
        List<String> conditions = new ArrayList<>();
        node.path("if").forEach(condition -> conditions.add(condition.asText()));
        return new RuleText(line, conditions, node.path("action").asText());
    }

    /**
     * An action as the policy file writes it ({@code errno(EPERM)}). The file's spelling of an action does not
     * depend on the syscall or the architecture (errno numbers are shared by every supported one), so a rule on
     * {@code read}, which every architecture has, borrows it.
     */
    static String action(Action action) {
        return of(Arch.X86_64, Rule.of("read", action, "")).action();
    }

    /** The conditions joined for reading, or the empty string for an unconditional rule. */
    String condition() {
        return String.join(" and ", conditions);
    }
}
