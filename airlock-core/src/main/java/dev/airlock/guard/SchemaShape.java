package dev.airlock.guard;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller's JSON Schema must not be, beyond what the meta-schema says, because validating answers against it
 * would never end: nested deeper than {@link #MAX_DEPTH}, or with a {@code $ref} that leads back to a schema applied
 * to the same value (e.g. {@code {"$ref": "#"}}, or two {@code $defs} whose {@code allOf} name each other). JSON Schema
 * leaves such loops undefined; a validator recurses until its stack runs out. A recursive schema that descends into
 * the value first ({@code properties.next.$ref: "#"}, a linked list) is fine. {@code $dynamicRef} must point within
 * the schema ({@code #...}).
 */
final class SchemaShape {
    /** JSON nesting of a caller's schema; real schemas use a handful of levels (OpenAI accepts at most 10). */
    static final int MAX_DEPTH = 64;

    /** Keywords whose subschemas apply to the same value as the schema holding them. */
    private static final List<String> SAME_VALUE_ONE = List.of("not", "if", "then", "else");

    private static final List<String> SAME_VALUE_MANY = List.of("allOf", "anyOf", "oneOf");

    /** Keywords whose values are data, not schemas. */
    private static final List<String> DATA = List.of("const", "enum", "default", "examples");

    private SchemaShape() {}

    /** What is wrong, and where: {@code at} is the path inside the schema, e.g. {@code .$defs.a.$ref}. */
    record Problem(String at, String message) {}

    /** Whether {@code schema} nests deeper than {@link #MAX_DEPTH}: checked first, before anything recurses into it. */
    static Optional<Problem> tooDeep(JsonNode schema) {
        return tooDeep(schema, 0, "");
    }

    /** The first loop or outside {@code $dynamicRef} of {@code schema} (not too deep), if any. */
    static Optional<Problem> problemOf(JsonNode schema) {
        Optional<Problem> dynamic = nonLocalDynamicRef(schema, "");
        return dynamic.isPresent() ? dynamic : new Loops(schema).find();
    }

    private static Optional<Problem> tooDeep(JsonNode node, int depth, String at) {
        if (depth > MAX_DEPTH) {
            return Optional.of(new Problem(at, "it nests deeper than " + MAX_DEPTH + " levels"));
        }
        if (node.isContainerNode()) {
            for (Map.Entry<String, JsonNode> e : children(node)) {
                Optional<Problem> p = tooDeep(e.getValue(), depth + 1, at + "." + e.getKey());
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> nonLocalDynamicRef(JsonNode node, String at) {
        if (node.isObject()
                && node.get("$dynamicRef") instanceof JsonNode ref
                && !ref.asText().startsWith("#")) {
            return Optional.of(new Problem(
                    at + ".$dynamicRef",
                    "'$dynamicRef' " + ref + " points outside the schema; only references within it (#...) are"
                            + " resolved"));
        }
        if (node.isContainerNode()) {
            for (Map.Entry<String, JsonNode> e : children(node)) {
                Optional<Problem> p = nonLocalDynamicRef(e.getValue(), at + "." + e.getKey());
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static List<Map.Entry<String, JsonNode>> children(JsonNode node) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(Map.entry(Integer.toString(i), node.get(i)));
            }
        } else {
            node.properties().forEach(out::add);
        }
        return out;
    }

    /**
     * A depth-first walk over the schemas that apply to one value (through {@code $ref} to a {@code #/...} pointer,
     * {@code allOf}/{@code anyOf}/{@code oneOf}, {@code not}, {@code if}/{@code then}/{@code else}), starting from
     * every subschema: reaching a schema already on the path is a loop.
     */
    private static final class Loops {
        private final JsonNode root;
        private final Map<JsonNode, Boolean> onPathOrDone = new IdentityHashMap<>(); // true: on the path
        private final Map<JsonNode, String> paths = new IdentityHashMap<>();

        Loops(JsonNode root) {
            this.root = root;
            index(root, "");
        }

        /** Every node that may be a schema, with its path; values given as data (const, enum...) are not. */
        private void index(JsonNode node, String at) {
            paths.putIfAbsent(node, at);
            if (node.isContainerNode()) {
                children(node).stream()
                        .filter(e -> !node.isObject() || !DATA.contains(e.getKey()))
                        .forEach(e -> index(e.getValue(), at + "." + e.getKey()));
            }
        }

        Optional<Problem> find() {
            for (JsonNode start : paths.keySet()) {
                Optional<Problem> p = visit(start);
                if (p.isPresent()) {
                    return p;
                }
            }
            return Optional.empty();
        }

        private Optional<Problem> visit(JsonNode schema) {
            if (!schema.isObject()) {
                return Optional.empty();
            }
            Boolean state = onPathOrDone.get(schema);
            if (state != null) {
                return state
                        ? Optional.of(new Problem(
                                Objects.requireNonNull(paths.get(schema), "every schema node is indexed"),
                                "its '$ref's lead back to this schema for the same value, so validating an answer"
                                        + " against it would never end"))
                        : Optional.empty();
            }
            onPathOrDone.put(schema, true);
            for (JsonNode next : sameValue(schema)) {
                Optional<Problem> p = visit(next);
                if (p.isPresent()) {
                    return p;
                }
            }
            onPathOrDone.put(schema, false);
            return Optional.empty();
        }

        private List<JsonNode> sameValue(JsonNode schema) {
            List<JsonNode> next = new ArrayList<>();
            JsonNode ref = schema.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
                target(ref.asText()).ifPresent(next::add);
            }
            for (String keyword : SAME_VALUE_ONE) {
                if (schema.get(keyword) instanceof JsonNode sub) {
                    next.add(sub);
                }
            }
            for (String keyword : SAME_VALUE_MANY) {
                if (schema.get(keyword) instanceof JsonNode subs && subs.isArray()) {
                    subs.forEach(next::add);
                }
            }
            return next;
        }

        /** The schema a {@code #/json/pointer} reference names in the document; empty when it names none. */
        private Optional<JsonNode> target(String ref) {
            try {
                String pointer = URLDecoder.decode(ref.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
                JsonNode found = root.at(JsonPointer.compile(pointer));
                return found.isMissingNode() ? Optional.empty() : Optional.of(found);
            } catch (IllegalArgumentException notAPointer) {
                return Optional.empty(); // an anchor (#name) or bad escape: the validator reports what it cannot use
            }
        }
    }
}
