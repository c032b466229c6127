package dev.airlock.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Output validation for models that opt in: a chat answer asked for with {@code response_format} {@code json_schema}
 * must be JSON valid against that schema ({@code json_object}: any JSON object). An invalid answer is sent back to the
 * model with the errors, at most {@code max_repairs} times, then refused with 422; every attempt is noted in the
 * Decision.
 */
public final class OutputSchemaGuard implements GuardOutput, GuardInput {
    /**
     * A caller's schema is resolved within itself: it may name the JSON Schema meta-schemas bundled with the validator
     * (by their json-schema.org ids), nothing else, so no {@code $ref} reads a file, a class-path resource or the
     * network.
     */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaLoader(loader -> loader.allow(OutputSchemaGuard::bundledMetaSchema)));
    // bundled with the validator: checking a caller's schema fetches nothing
    private static final Schema META_SCHEMA =
            SCHEMAS.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    // configured once and shared: a mapper is costly to build and safe to share
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAM = "response_format.json_schema.schema";

    private final Function<String, Integer> maxRepairsOf;

    /** @param maxRepairsOf per model name, how many repairs to try; null when the model does not validate output */
    public OutputSchemaGuard(Function<String, Integer> maxRepairsOf) {
        this.maxRepairsOf = maxRepairsOf;
    }

    /**
     * At input: a schema that is not valid against the JSON Schema meta-schema, or whose {@code $ref}s do not resolve
     * within it, is the caller's error, refused (400, {@code param} pointing into the schema) before any token is
     * spent.
     */
    @Override
    public AiRequest check(DecisionDraft draft, AiRequest request) {
        Integer maxRepairs =
                draft.spec() == null ? null : maxRepairsOf.apply(draft.spec().name());
        if (maxRepairs != null
                && request instanceof ChatRequest chat
                && chat.options().get("response_format") instanceof Map<?, ?> format
                && "json_schema".equals(format.get("type"))) {
            schemaOf(format);
        }
        return request;
    }

    @Override
    public AiAnswer check(DecisionDraft draft, AiRequest request, AiAnswer answer) {
        Integer maxRepairs =
                draft.spec() == null ? null : maxRepairsOf.apply(draft.spec().name());
        if (maxRepairs == null
                || !(request instanceof ChatRequest chat)
                || !(chat.options().get("response_format") instanceof Map<?, ?> format)) {
            return answer;
        }
        Object type = format.get("type");
        if (!"json_schema".equals(type) && !"json_object".equals(type)) {
            return answer;
        }
        if (!(answer instanceof ChatResult result)) {
            draft.note(
                    GuardOutput.STAGE, "not_validated", "a streamed answer reached the caller before it was complete");
            return answer;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(stripFences(result.text()));
        } catch (Exception e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject() && "json_object".equals(type)) {
            throw new Repair(
                    "the answer is not a JSON object",
                    "Your answer was not a valid JSON object. Reply again with the JSON object only, no other text.",
                    maxRepairs);
        }
        if ("json_schema".equals(type)) {
            List<Error> errors;
            try {
                errors = schemaOf(format).validate(parsed);
            } catch (RuntimeException | StackOverflowError e) {
                throw badSchema(PARAM, String.valueOf(e.getMessage()));
            }
            if (!errors.isEmpty()) {
                String problems = errors.stream().limit(5).map(Error::toString).collect(Collectors.joining("; "));
                throw new Repair(
                        "the answer does not match the JSON schema: " + problems,
                        "Your answer did not match the required JSON schema: " + problems
                                + ". Reply again with JSON only that matches the schema.",
                        maxRepairs);
            }
        }
        draft.note(GuardOutput.STAGE, "valid", "the answer matches the requested " + type);
        return answer;
    }

    private static Schema schemaOf(Map<?, ?> format) {
        Object spec = format.get("json_schema");
        Object schema = spec instanceof Map<?, ?> m ? m.get("schema") : null;
        if (!(schema instanceof Map<?, ?>)) {
            throw Stop.invalid("guard_output", PARAM, "'" + PARAM + "' must be a JSON Schema object")
                    .toException();
        }
        JsonNode node = JSON.valueToTree(schema);
        var tooDeep = SchemaShape.tooDeep(node);
        if (tooDeep.isPresent()) {
            throw badSchema(PARAM + tooDeep.get().at(), tooDeep.get().message());
        }
        List<Error> problems;
        try {
            problems = META_SCHEMA.validate(node);
        } catch (RuntimeException | StackOverflowError e) {
            throw badSchema(PARAM, String.valueOf(e.getMessage()));
        }
        if (!problems.isEmpty()) {
            Error first = problems.getFirst();
            throw badSchema(
                    param(first.getInstanceLocation().toString()),
                    "not a valid JSON Schema (draft 2020-12): " + first.getInstanceNode() + " " + first.getMessage());
        }
        var endless = SchemaShape.problemOf(node);
        if (endless.isPresent()) {
            throw badSchema(PARAM + endless.get().at(), endless.get().message());
        }
        try {
            Schema compiled = SCHEMAS.getSchema(node);
            compiled.initializeValidators(); // resolves every $ref now, not on the first answer that reaches it
            return compiled;
        } catch (RuntimeException | StackOverflowError e) {
            throw badSchema(PARAM, String.valueOf(e.getMessage()));
        }
    }

    private static boolean bundledMetaSchema(AbsoluteIri iri) {
        String id = iri.toString();
        return id.startsWith("https://json-schema.org/") || id.startsWith("http://json-schema.org/");
    }

    /**
     * The request field a meta-schema error points to: {@code /properties/a/type} (or {@code $.properties.a.type}) →
     * {@code response_format.json_schema.schema.properties.a.type}.
     */
    private static String param(String instanceLocation) {
        String at = instanceLocation == null ? "" : instanceLocation;
        if (at.startsWith("$")) {
            return PARAM + at.substring(1);
        }
        StringBuilder param = new StringBuilder(PARAM);
        for (String segment : at.split("/")) {
            if (!segment.isEmpty()) {
                param.append('.').append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return param.toString();
    }

    private static Stop.Stopped badSchema(String param, String problem) {
        return Stop.invalid("guard_output", param, "'" + param + "' cannot be used: " + problem)
                .toException();
    }

    /** Models often wrap JSON in a Markdown code fence. */
    private static String stripFences(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("```")) {
            int firstNewline = t.indexOf('\n');
            int lastFence = t.lastIndexOf("```");
            if (firstNewline > 0 && lastFence > firstNewline) {
                return t.substring(firstNewline + 1, lastFence).strip();
            }
        }
        return t;
    }
}
