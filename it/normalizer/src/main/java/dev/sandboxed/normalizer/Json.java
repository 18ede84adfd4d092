package dev.sandboxed.normalizer;

import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers and booleans as JSON with two-space indentation. Keys come out in the
 * map's iteration order, so callers that pass insertion-ordered maps get a deterministic key order; doubles go
 * through {@link Numbers#report}.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, 0, out);
        return out.append('\n').toString();
    }

    private static void write(Object value, int depth, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            string((String) value, out);
        } else if (value instanceof Double) {
            out.append(Numbers.report((Double) value));
        } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            String separator = "\n";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator);
                indent(depth + 1, out);
                string((String) entry.getKey(), out);
                out.append(": ");
                write(entry.getValue(), depth + 1, out);
                separator = ",\n";
            }
            out.append('\n');
            indent(depth, out);
            out.append('}');
        } else if (value instanceof List) {
            List<?> list = (List<?>) value;
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            String separator = "\n";
            for (Object item : list) {
                out.append(separator);
                indent(depth + 1, out);
                write(item, depth + 1, out);
                separator = ",\n";
            }
            out.append('\n');
            indent(depth, out);
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void indent(int depth, StringBuilder out) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
