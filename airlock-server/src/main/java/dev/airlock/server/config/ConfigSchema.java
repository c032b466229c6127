package dev.airlock.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import dev.airlock.decision.RequestKind;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Schema of configuration files, generated from {@link AirlockConfig} so it cannot drift from what the
 * loader accepts. Editors use it for completion and checking: put {@code # yaml-language-server:
 * $schema=docs/airlock.schema.json} at the top of a file. A number or boolean may also be written as {@code ${VAR}}.
 */
public final class ConfigSchema {
    /** {@code ${VAR}} or {@code ${VAR:-default}}; the last brace escaped, so that every regex dialect (Ajv's too) reads it. */
    private static final String VARIABLE_BODY = "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}";

    private static final String VARIABLE = "^" + VARIABLE_BODY + "$";
    private static final String DURATION = "^([0-9]+(ms|s|m|h|d)|" + VARIABLE_BODY + ")$";
    private static final Set<String> SCALARS = Set.of("integer", "number", "boolean");

    private ConfigSchema() {}

    public static ObjectNode generate() {
        var config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forFields()
                .withIgnoreCheck(field -> field.getDeclaringType().getErasedType() == AirlockConfig.class
                        && field.getName().equals("source"))
                .withDefaultResolver(field -> {
                    if (field.isFakeContainerItemScope()) {
                        return null; // a list option's default belongs to the list, not to each item
                    }
                    Default d = field.getAnnotationConsideringFieldAndGetter(Default.class);
                    return d == null ? null : Options.scalarValue(d.value());
                });
        config.forTypesInGeneral().withCustomDefinitionProvider((type, context) -> {
            ObjectNode custom = scalar(type.getErasedType());
            // a scalar's type attributes would add object keywords (additionalProperties) that strict validators
            // such as Ajv refuse next to a string; a field's own attributes (default, description) still apply
            return custom == null
                    ? null
                    : new CustomDefinition(
                            custom, CustomDefinition.INLINE_DEFINITION, CustomDefinition.EXCLUDING_ATTRIBUTES);
        });
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(AirlockConfig.class);
        allowVariables(schema);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://airlock.dev/schemas/airlock.schema.json");
        root.put("title", "Airlock configuration");
        root.put(
                "description",
                "airlock.yaml, or the .yaml files of a configuration directory (each holds some of these sections).");
        root.setAll(schema);
        return root;
    }

    /** Durations, dates and enums are written as text: their syntax, or {@code ${VAR}}. */
    private static @Nullable ObjectNode scalar(Class<?> type) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (type == Duration.class) {
            return node.put("type", "string")
                    .put("pattern", DURATION)
                    .put("description", "a duration: 250ms, 30s, 5m, 1h or 90d");
        }
        if (type == LocalDate.class) {
            return node.put("type", "string").put("format", "date");
        }
        if (type.isEnum()) {
            ArrayNode anyOf = node.putArray("anyOf");
            ArrayNode ids = anyOf.addObject().put("type", "string").putArray("enum");
            for (Object constant : type.getEnumConstants()) {
                if (constant != RequestKind.TOOL) { // a workflow's tool call, never a model's kind: loading refuses it
                    ids.add(ConfigModule.id((Enum<?>) constant));
                }
            }
            anyOf.addObject().put("type", "string").put("pattern", VARIABLE);
            return node;
        }
        return null;
    }

    /** Wherever a number or boolean is expected, {@code ${VAR}} (substituted at load) is accepted too. */
    private static void allowVariables(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type != null && type.isTextual() && SCALARS.contains(type.asText())) {
                ObjectNode original = object.deepCopy();
                JsonNode byDefault = original.remove("default");
                object.removeAll();
                if (byDefault != null) {
                    object.set("default", byDefault);
                }
                ArrayNode anyOf = object.putArray("anyOf");
                anyOf.add(original);
                anyOf.addObject().put("type", "string").put("pattern", VARIABLE);
                return;
            }
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            fields.forEach(e -> allowVariables(e.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(ConfigSchema::allowVariables);
        }
    }
}
