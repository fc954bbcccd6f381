package io.hitkeep.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

/** The project's one JSON mapper (Jackson). Thread-safe. */
public final class Json {
    /**
     * Records are written and read with snake_case names ({@code siteId} is {@code site_id}), as the
     * contract's JSON has them; unknown fields are ignored, so a newer peer may add some.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new HitKeepException("cannot write JSON", e);
        }
    }

    /** Parses a JSON document; a malformed one raises {@link IOException}. */
    public static JsonNode tree(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    /**
     * Parses a large document that is read once, such as a list bundled in the jar. {@link #MAPPER} keeps every
     * field name it has read in a table of its own, and interns it, for good: the 2,400 host names that key the
     * referrer list were 200 KB of a server's heap at rest.
     */
    public static JsonNode treeReadOnce(InputStream in) throws IOException {
        JsonFactory uncached = JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();
        return new ObjectMapper(uncached).readTree(in);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A text field or the empty string: lets callers avoid nulls. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : "";
    }
}
