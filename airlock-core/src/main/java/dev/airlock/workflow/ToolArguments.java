package dev.airlock.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A tool's arguments checked against its JSON Schema (draft 2020-12) before the call leaves; the schema resolves
 * within itself (no {@code $ref} reads a file or the network).
 */
final class ToolArguments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaLoader(loader -> loader.allow(iri -> false)));

    private ToolArguments() {}

    static Schema compile(String schemaJson, String where) {
        try {
            JsonNode node = JSON.readTree(schemaJson);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(where + ": expected a JSON Schema object");
            }
            Schema schema = SCHEMAS.getSchema(node);
            schema.initializeValidators();
            return schema;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(where + ": not a JSON Schema: " + e.getMessage(), e);
        }
    }

    /** The problems with {@code arguments}, or empty when they match. */
    static Optional<String> problems(String schemaJson, Object arguments) {
        List<Error> errors = compile(schemaJson, "arguments").validate(JSON.valueToTree(arguments));
        return errors.isEmpty()
                ? Optional.empty()
                : Optional.of(errors.stream().limit(5).map(Error::toString).collect(Collectors.joining("; ")));
    }
}
