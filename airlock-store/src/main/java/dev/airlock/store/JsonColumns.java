package dev.airlock.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.StageNote;
import java.util.List;
import java.util.Map;

/** Lists kept as JSON text, so that one TEXT column works on every database. */
final class JsonColumns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<List<StageNote>> NOTES = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

    private JsonColumns() {}

    static Map<String, String> fields(String json) {
        return read(json, FIELDS);
    }

    static String write(Object values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write as JSON: " + values, e);
        }
    }

    static List<String> strings(String json) {
        return "[]".equals(json) ? List.of() : read(json, STRINGS);
    }

    static List<StageNote> notes(String json) {
        return "[]".equals(json) ? List.of() : read(json, NOTES);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not a " + type.getType() + ": " + json, e);
        }
    }
}
