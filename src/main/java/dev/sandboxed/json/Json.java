package dev.sandboxed.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The project's one JSON output setup. Every file the plugin writes in JSON goes through {@link #write}, so that
 * all of them share one layout: keys sorted, two-space indent, {@code \n} line ends, a trailing newline, and the
 * same input always giving the same bytes — a file that changes only when its content does is what makes a
 * committed policy or a stored recording reviewable.
 *
 * <p>One layout rule keeps files short without hiding structure: an array element that is <em>flat</em> (its
 * values are scalars, or containers holding only scalars) is written on one line; everything else spans lines.
 * A policy rule or a recorded run thus takes one line, and a diff shows exactly the entries that changed. A format
 * whose entries hold long lists (a Docker profile's {@code names}) can cap the length of the lists an inline
 * element may hold, so each name gets a line of its own.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private static final String INDENT = "  ";

    private Json() {
    }

    /** An empty object to build output in; its key order does not matter, {@link #write} sorts. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Converts a value (record, map, list) to a tree with the shared settings, for callers that bind types. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** The canonical text of a tree: keys sorted, layout as described in the class comment. */
    public static String write(JsonNode node) {
        return write(node, true, Integer.MAX_VALUE);
    }

    /**
     * Like {@link #write(JsonNode)}, but an array element holding a list longer than {@code inlineListLimit} spans
     * lines.
     */
    public static String write(JsonNode node, int inlineListLimit) {
        return write(node, true, inlineListLimit);
    }

    /**
     * Like {@link #write(JsonNode)} but keeps each object's keys in the order they were added, for formats whose
     * key order is itself designed for reading (the committed policy). Determinism is then the caller's duty:
     * it must add keys in a fixed order.
     */
    public static String writeInInsertionOrder(JsonNode node) {
        return write(node, false, Integer.MAX_VALUE);
    }

    /**
     * A container on one line, keys in insertion order: exactly how {@link #writeInInsertionOrder} prints it
     * as a flat array element, so a tool can show the line a file holds or would hold.
     */
    public static String lineInInsertionOrder(JsonNode node) {
        Objects.requireNonNull(node, "node");
        StringBuilder out = new StringBuilder();
        new Layout(out, false, Integer.MAX_VALUE).inline(node);
        return out.toString();
    }

    private static String write(JsonNode node, boolean sortKeys, int inlineListLimit) {
        Objects.requireNonNull(node, "node");
        StringBuilder out = new StringBuilder();
        new Layout(out, sortKeys, inlineListLimit).value(node, 0, false);
        return out.append('\n').toString();
    }

    /** A JSON string literal, quoted and escaped. */
    public static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private record Layout(StringBuilder out, boolean sortKeys, int inlineListLimit) {

        void value(JsonNode node, int depth, boolean arrayElement) {
            if (!node.isContainerNode()) {
                out.append(scalar(node));
            } else if (node.isEmpty()) {
                out.append(node.isObject() ? "{}" : "[]");
            } else if (arrayElement && flat(node)) {
                inline(node);
            } else if (node.isObject()) {
                out.append("{\n");
                List<Map.Entry<String, JsonNode>> entries = entries(node);
                for (int i = 0; i < entries.size(); i++) {
                    indent(depth + 1);
                    out.append(quote(entries.get(i).getKey())).append(": ");
                    value(entries.get(i).getValue(), depth + 1, false);
                    out.append(i + 1 < entries.size() ? ",\n" : "\n");
                }
                indent(depth);
                out.append('}');
            } else {
                out.append("[\n");
                for (int i = 0; i < node.size(); i++) {
                    indent(depth + 1);
                    value(node.get(i), depth + 1, true);
                    out.append(i + 1 < node.size() ? ",\n" : "\n");
                }
                indent(depth);
                out.append(']');
            }
        }

        private void inline(JsonNode node) {
            if (!node.isContainerNode()) {
                out.append(scalar(node));
            } else if (node.isObject()) {
                out.append('{');
                List<Map.Entry<String, JsonNode>> entries = entries(node);
                for (int i = 0; i < entries.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(quote(entries.get(i).getKey())).append(": ");
                    inline(entries.get(i).getValue());
                }
                out.append('}');
            } else {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    inline(node.get(i));
                }
                out.append(']');
            }
        }

        private List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                entries.add(it.next());
            }
            if (sortKeys) {
                entries.sort(Map.Entry.comparingByKey());
            }
            return entries;
        }

        private void indent(int depth) {
            out.append(INDENT.repeat(depth));
        }

        private boolean flat(JsonNode node) {
            for (JsonNode child : node) {
                if (child.isContainerNode()) {
                    if (child.size() > inlineListLimit) {
                        return false;
                    }
                    for (JsonNode grandchild : child) {
                        if (grandchild.isContainerNode()) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        private static String scalar(JsonNode node) {
            return node.isTextual() ? quote(node.textValue()) : node.toString();
        }
    }
}
