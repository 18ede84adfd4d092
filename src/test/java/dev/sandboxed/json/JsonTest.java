package dev.sandboxed.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    private static ObjectNode sample(boolean reversed) {
        ObjectNode root = Json.object();
        if (reversed) {
            root.putArray("list").addObject().put("z", 1).put("a", "x\"y");
            root.put("b", 2).put("a", true);
        } else {
            root.put("a", true).put("b", 2);
            root.putArray("list").addObject().put("a", "x\"y").put("z", 1);
        }
        return root;
    }

    @Test
    void sortsKeysIndentsTwoSpacesAndEndsWithNewline() {
        String text = Json.write(sample(true));
        assertEquals("{\n  \"a\": true,\n  \"b\": 2,\n  \"list\": [\n    {\"a\": \"x\\\"y\", \"z\": 1}\n  ]\n}\n", text);
        assertEquals(text, Json.write(sample(false)), "key insertion order must not leak into the output");
        assertTrue(!text.contains("\r"));
    }

    @Test
    void writesFlatArrayElementsOnOneLineAndNestedOnesAcrossLines() {
        ObjectNode root = Json.object();
        root.putArray("rows").addObject().put("n", 1).putArray("values").add(1).add(2);
        root.withArray("rows").addObject().putObject("deep").putObject("deeper").put("x", 1);
        root.putArray("names").add("a").add("b");
        assertEquals("""
                {
                  "names": [
                    "a",
                    "b"
                  ],
                  "rows": [
                    {"n": 1, "values": [1, 2]},
                    {
                      "deep": {
                        "deeper": {
                          "x": 1
                        }
                      }
                    }
                  ]
                }
                """, Json.write(root));
    }

    @Test
    void insertionOrderIsKeptWhenAskedFor() {
        ObjectNode root = Json.object().put("z", 1).put("a", 2);
        assertEquals("{\n  \"z\": 1,\n  \"a\": 2\n}\n", Json.writeInInsertionOrder(root));
        assertEquals("{\"z\": 1, \"a\": 2}", Json.lineInInsertionOrder(root));
    }

    @Test
    void boundTypesGoThroughTheSameSettings() {
        Map<String, Object> map = new TreeMap<>(Map.of("b", 1, "a", Map.of("d", 2, "c", 3)));
        assertEquals("{\n  \"a\": {\n    \"c\": 3,\n    \"d\": 2\n  },\n  \"b\": 1\n}\n", Json.write(Json.tree(map)));
    }

    @Test
    void emptyContainersAndEscapes() {
        ObjectNode root = Json.object();
        root.putArray("empty");
        root.putObject("none");
        root.put("text", "tab\tnewline\n\u00e9");
        assertEquals("{\n  \"empty\": [],\n  \"none\": {},\n  \"text\": \"tab\\tnewline\\n\u00e9\"\n}\n", Json.write(root));
    }
}
