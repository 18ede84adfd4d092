package dev.sandboxed.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxed.syscall.Spelling;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed JSON input that remembers where every value came from, so that each format reader can reject an entry
 * with the file, line and column of that entry rather than of the whole file. Jackson's tree forgets token
 * positions, hence this thin layer: the tree is Jackson's own, positions sit beside it.
 */
final class JsonInput {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final Path file;
    private final JsonNode root;
    private final Map<JsonNode, Location> starts = new IdentityHashMap<>();
    private final Map<JsonNode, Map<String, Location>> keys = new IdentityHashMap<>();
    private final Map<JsonNode, List<Location>> elements = new IdentityHashMap<>();

    private JsonInput(Path file, String text) {
        this.file = file;
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new InvalidPolicyException("the file is empty; expected a JSON object", Location.of(file), null);
            }
            this.root = value(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new InvalidPolicyException("unexpected content after the end of the JSON document",
                        location(parser.currentTokenLocation()), null);
            }
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage().replaceAll("(?s)\\s*\\n.*", "");
            throw new InvalidPolicyException("malformed JSON: " + message, location(e.getLocation()), null);
        } catch (IOException e) {
            throw new InvalidPolicyException("cannot read: " + e.getMessage(), Location.of(file), null);
        }
    }

    static JsonInput parse(Path file, String text) {
        return new JsonInput(file, text);
    }

    static JsonInput read(Path file) {
        return parse(file, readText(file));
    }

    static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidPolicyException("file not found", Location.of(file), null);
        } catch (CharacterCodingException e) {
            throw new InvalidPolicyException("not UTF-8 text", Location.of(file), null);
        } catch (IOException e) {
            throw new InvalidPolicyException("cannot read: " + e, Location.of(file), null);
        }
    }

    Path file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    /** The root, which every format here requires to be an object. */
    ObjectNode rootObject(String what) {
        if (!root.isObject()) {
            throw error(root, "expected " + what + " as a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Where a container starts, or the file when the node is not one of this input's containers. */
    Location at(JsonNode node) {
        return starts.getOrDefault(node, Location.of(file));
    }

    /** Where an object's key is written: the line a reader looks at for that entry. */
    Location at(JsonNode object, String key) {
        return keys.getOrDefault(object, Map.of()).getOrDefault(key, at(object));
    }

    Location at(JsonNode array, int index) {
        List<Location> list = elements.get(array);
        return list == null || index >= list.size() ? at(array) : list.get(index);
    }

    InvalidPolicyException error(JsonNode node, String message) {
        return new InvalidPolicyException(message, at(node), null);
    }

    InvalidPolicyException error(JsonNode object, String key, String message) {
        return new InvalidPolicyException(message, at(object, key), null);
    }

    InvalidPolicyException error(JsonNode array, int index, String message) {
        return new InvalidPolicyException(message, at(array, index), null);
    }

    /** Refuses keys a strict format does not define, suggesting the nearest defined one. */
    void allowOnly(ObjectNode object, String context, Set<String> allowed) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                List<String> near = Spelling.nearest(key, allowed, 1);
                throw error(object, key, "unknown key \"" + key + "\" in " + context
                        + (near.isEmpty() ? "; allowed: " + String.join(", ", allowed.stream().sorted().toList())
                        : "; did you mean \"" + near.get(0) + "\"?"));
            }
        }
    }

    Optional<JsonNode> optional(ObjectNode object, String key) {
        JsonNode node = object.get(key);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    JsonNode required(ObjectNode object, String key, String context) {
        return optional(object, key).orElseThrow(() -> error(object, "missing \"" + key + "\" in " + context));
    }

    String text(ObjectNode object, String key, String context) {
        JsonNode node = required(object, key, context);
        if (!node.isTextual()) {
            throw error(object, key, "\"" + key + "\" must be a string");
        }
        return node.textValue();
    }

    Optional<String> optionalText(ObjectNode object, String key) {
        return optional(object, key).map(node -> {
            if (!node.isTextual()) {
                throw error(object, key, "\"" + key + "\" must be a string");
            }
            return node.textValue();
        });
    }

    ObjectNode object(ObjectNode object, String key, String context) {
        return asObject(object, key, required(object, key, context));
    }

    Optional<ObjectNode> optionalObject(ObjectNode object, String key) {
        return optional(object, key).map(node -> asObject(object, key, node));
    }

    private ObjectNode asObject(ObjectNode parent, String key, JsonNode node) {
        if (!node.isObject()) {
            throw error(parent, key, "\"" + key + "\" must be an object");
        }
        return (ObjectNode) node;
    }

    ArrayNode array(ObjectNode object, String key, String context) {
        return asArray(object, key, required(object, key, context));
    }

    Optional<ArrayNode> optionalArray(ObjectNode object, String key) {
        return optional(object, key).map(node -> asArray(object, key, node));
    }

    private ArrayNode asArray(ObjectNode parent, String key, JsonNode node) {
        if (!node.isArray()) {
            throw error(parent, key, "\"" + key + "\" must be an array");
        }
        return (ArrayNode) node;
    }

    /** The elements of an array of strings. */
    List<String> strings(ArrayNode array, String what) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isTextual()) {
                throw error(array, i, what + " must be strings, got " + element);
            }
            out.add(element.textValue());
        }
        return out;
    }

    ObjectNode element(ArrayNode array, int index, String what) {
        JsonNode element = array.get(index);
        if (!element.isObject()) {
            throw error(array, index, what + " must be an object, got " + element);
        }
        return (ObjectNode) element;
    }

    /** A whole number that fits a signed 64-bit value, or an unsigned one up to 2^64-1 (read as its raw bits). */
    long integer(ObjectNode object, String key) {
        JsonNode node = object.get(key);
        if (node == null || !node.isIntegralNumber()) {
            throw error(object, key, "\"" + key + "\" must be a whole number");
        }
        if (node.canConvertToLong()) {
            return node.longValue();
        }
        java.math.BigInteger big = node.bigIntegerValue();
        if (big.signum() > 0 && big.bitLength() <= 64) {
            return big.longValue();
        }
        throw error(object, key, "\"" + key + "\" is " + big + ", outside the 64-bit range");
    }

    int smallInteger(ObjectNode object, String key, int min, int max) {
        long value = integer(object, key);
        if (value < min || value > max) {
            throw error(object, key, "\"" + key + "\" is " + value + "; expected " + min + " to " + max);
        }
        return (int) value;
    }

    boolean bool(ObjectNode object, String key) {
        JsonNode node = object.get(key);
        if (node == null || !node.isBoolean()) {
            throw error(object, key, "\"" + key + "\" must be true or false");
        }
        return node.booleanValue();
    }

    private JsonNode value(JsonParser parser) throws IOException {
        Location start = location(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                Map<String, Location> keyLocations = new HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Location keyLocation = location(parser.currentTokenLocation());
                    parser.nextToken();
                    JsonNode child = value(parser);
                    if (object.has(key)) {
                        throw new InvalidPolicyException("duplicate key \"" + key + "\"; the first is at line "
                                + keyLocations.get(key).line(), keyLocation, null);
                    }
                    object.set(key, child);
                    keyLocations.put(key, keyLocation);
                }
                starts.put(object, start);
                keys.put(object, keyLocations);
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                List<Location> positions = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    positions.add(location(parser.currentTokenLocation()));
                    array.add(value(parser));
                }
                starts.put(array, start);
                elements.put(array, positions);
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new InvalidPolicyException("unexpected JSON token " + token, start, null);
        }
    }

    private Location location(JsonLocation at) {
        return at == null ? Location.of(file) : new Location(file, at.getLineNr(), at.getColumnNr());
    }
}
