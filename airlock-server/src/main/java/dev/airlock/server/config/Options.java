package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The options the configuration records declare, read from the records themselves: their YAML keys and their
 * {@link Default}s. Binding fills the defaults into what a file leaves out, so a record always holds its real values.
 */
final class Options {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new ConfigModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Options() {}

    /** One option of a record: its YAML key, the component holding it, and its default as written (or null). */
    record Option(
            String key, RecordComponent component, @Nullable String defaultValue) {}

    /** The options of a configuration record, in declaration order. */
    static List<Option> of(Class<?> record) {
        List<Option> options = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            JsonProperty named = c.getAccessor().getAnnotation(JsonProperty.class);
            Default d = c.getAccessor().getAnnotation(Default.class);
            options.add(new Option(
                    named != null && !named.value().isEmpty() ? named.value() : c.getName(),
                    c,
                    d == null ? null : d.value()));
        }
        return options;
    }

    /** The kinds a sealed option type has, by the {@code kind} that names each. */
    static Map<String, Class<?>> kinds(Class<?> type) {
        JsonSubTypes subtypes = type.getAnnotation(JsonSubTypes.class);
        Map<String, Class<?>> kinds = new LinkedHashMap<>();
        if (subtypes != null) {
            for (JsonSubTypes.Type t : subtypes.value()) {
                kinds.put(t.name(), t.value());
            }
        }
        return kinds;
    }

    /** Fills the defaults of {@code type} into {@code node} (a tree about to be bound to it), all the way down. */
    static void fill(Type type, JsonNode node) {
        Class<?> raw = raw(type);
        if (node instanceof ObjectNode object) {
            if (raw.isRecord()) {
                for (Option o : of(raw)) {
                    JsonNode value = object.get(o.key());
                    if ((value == null || value.isNull()) && o.defaultValue() != null) {
                        object.set(o.key(), scalar(o.defaultValue()));
                    } else if (value != null) {
                        fill(o.component().getGenericType(), value);
                    }
                }
            } else if (raw.isInterface() && object.path("kind").isTextual()) {
                Class<?> kind = kinds(raw).get(object.path("kind").asText());
                if (kind != null) {
                    fill(kind, object);
                }
            } else if (Map.class.isAssignableFrom(raw) && type instanceof ParameterizedType p) {
                object.forEach(value -> fill(p.getActualTypeArguments()[1], value));
            }
        } else if (node instanceof ArrayNode array
                && List.class.isAssignableFrom(raw)
                && type instanceof ParameterizedType p) {
            array.forEach(element -> fill(p.getActualTypeArguments()[0], element));
        }
    }

    /** A default as written, read as YAML: {@code 30s} is text, {@code 128} a number, {@code true} a boolean. */
    static JsonNode scalar(String written) {
        try {
            return YAML.readTree(written);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("default '" + written + "' is not a YAML value", e);
        }
    }

    /** A default as written, as a plain value (text, number or boolean). */
    static Object scalarValue(String written) {
        try {
            return YAML.treeToValue(scalar(written), Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("default '" + written + "' is not a YAML value", e);
        }
    }

    /**
     * Binds options given in code, e.g. {@code Map.of("kind", "chat", "provider", "up")}, exactly as if read from a file:
     * defaults filled in, rules checked.
     *
     * @throws IllegalArgumentException naming the option and what was wrong with it
     */
    static <T> T bind(Class<T> type, Object options) {
        JsonNode tree = YAML.valueToTree(options);
        fill(type, tree);
        try {
            return YAML.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof OptionException bad) {
                List<Object> path = new ArrayList<>();
                e.getPath().forEach(ref -> path.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex()));
                path.addAll(bad.path());
                throw new OptionException(bad.problem(), path.toArray());
            }
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** The record's values when nothing is written. */
    static <T> T defaults(Class<T> type) {
        return bind(type, Map.of());
    }

    /** {@code value}, or {@code fallback} when it is absent. */
    static <T> T or(@Nullable T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
    }
}
