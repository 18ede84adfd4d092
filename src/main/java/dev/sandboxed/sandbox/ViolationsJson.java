package dev.sandboxed.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Writes {@link Violations} as JSON that is byte-identical for equal input: keys sorted, two-space indent and
 * {@code \n} line ends whatever the platform, written to a temporary file and moved into place so a reader never
 * sees half a report.
 */
public final class ViolationsJson {

    private static final ObjectWriter WRITER = writer();

    private ViolationsJson() {
    }

    public static String toJson(Violations violations) {
        Objects.requireNonNull(violations, "violations");
        try {
            return WRITER.writeValueAsString(violations) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("violations are plain values and always serialise", e);
        }
    }

    public static void write(Violations violations, Path file) {
        String json = toJson(violations);
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(temp, json, StandardCharsets.UTF_8);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the violations report " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectWriter writer() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        return JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build()
                .writer(printer);
    }
}
