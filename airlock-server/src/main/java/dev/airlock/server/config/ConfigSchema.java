package dev.airlock.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema of configuration files, generated from {@link AirlockConfig} so it cannot drift from what the
 * loader accepts. Editors use it for completion and checking: put {@code # yaml-language-server:
 * $schema=docs/airlock.schema.json} at the top of a file. A number or boolean may also be written as {@code ${VAR}}.
 */
public final class ConfigSchema {
    private static final String VARIABLE = "^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?}$";
    private static final Set<String> SCALARS = Set.of("integer", "number", "boolean");

    private ConfigSchema() {}

    public static ObjectNode generate() {
        var config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forFields()
                .withIgnoreCheck(field -> field.getDeclaringType().getErasedType() == AirlockConfig.class
                        && field.getName().equals("source"));
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

    /** Wherever a number or boolean is expected, {@code ${VAR}} (substituted at load) is accepted too. */
    private static void allowVariables(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type != null && type.isTextual() && SCALARS.contains(type.asText())) {
                ObjectNode original = object.deepCopy();
                object.removeAll();
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
