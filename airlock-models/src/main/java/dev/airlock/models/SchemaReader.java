package dev.airlock.models;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a tabular model's sidecar schema ({@code airlock.tabular-model/1}), checking every field and naming the file
 * and field when one is wrong: {@code loan-risk.schema.json: features[2].std: expected a positive number, got 0}.
 */
final class SchemaReader {
    static final String FORMAT = "airlock.tabular-model/1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEFAULT_MISSING_TOKENS = List.of("", "n/a", "na", "null");

    private final Path file;

    private SchemaReader(Path file) {
        this.file = file;
    }

    static TabularSchema read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": schema file not found; a tabular model needs its sidecar "
                    + "schema next to the .onnx file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    file + ": not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new SchemaReader(file).schema(root);
    }

    private TabularSchema schema(JsonNode root) {
        requireObject(root, "(root)");
        String format = text(root, "format", "format");
        if (!format.equals(FORMAT)) {
            throw error("format", "expected \"" + FORMAT + "\", got \"" + format + "\"");
        }
        JsonNode model = object(root, "model", "model");
        JsonNode onnx = optionalObject(root, "onnx");
        JsonNode labels = object(root, "labels", "labels");
        double threshold = optionalNumber(labels, "threshold", "labels.threshold", 0.5);
        if (!(threshold > 0 && threshold < 1)) {
            throw error("labels.threshold", "expected a number between 0 and 1, got " + threshold);
        }
        int maxReasons = (int) optionalNumber(root, "maxReasons", "maxReasons", 4);
        if (maxReasons < 0) {
            throw error("maxReasons", "expected a count, got " + maxReasons);
        }
        if (text(labels, "positive", "labels.positive").equals(text(labels, "negative", "labels.negative"))) {
            throw error("labels.negative", "must differ from labels.positive");
        }
        List<InputFeature> features = features(root);
        TabularSchema schema = new TabularSchema(
                text(model, "name", "model.name"),
                text(model, "version", "model.version"),
                onnx == null ? null : optionalText(onnx, "sha256", "onnx.sha256"),
                trainingDataSha256(root),
                onnx == null ? "features" : optionalText(onnx, "input", "onnx.input", "features"),
                onnx == null ? "probability" : optionalText(onnx, "probability", "onnx.probability", "probability"),
                onnx == null
                        ? "contributions"
                        : optionalText(onnx, "contributions", "onnx.contributions", "contributions"),
                text(labels, "positive", "labels.positive"),
                text(labels, "negative", "labels.negative"),
                threshold,
                missingTokens(root),
                maxReasons,
                features);
        checkColumns(root, schema.columns());
        return schema;
    }

    private @Nullable String trainingDataSha256(JsonNode root) {
        JsonNode data = optionalObject(root, "trainingData");
        return data == null ? null : optionalText(data, "sha256", "trainingData.sha256");
    }

    private Set<String> missingTokens(JsonNode root) {
        JsonNode tokens = root.get("missingTokens");
        if (tokens == null) {
            return Set.copyOf(DEFAULT_MISSING_TOKENS);
        }
        Set<String> normalised = new HashSet<>();
        for (String token : strings(tokens, "missingTokens")) {
            normalised.add(token.strip().toLowerCase(Locale.ROOT));
        }
        return normalised;
    }

    private List<InputFeature> features(JsonNode root) {
        JsonNode array = root.get("features");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw error("features", "expected a non-empty array of features, got " + shape(array));
        }
        List<InputFeature> features = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int offset = 0;
        for (int i = 0; i < array.size(); i++) {
            String path = "features[" + i + "]";
            JsonNode node = array.get(i);
            requireObject(node, path);
            String name = text(node, "name", path + ".name");
            if (!names.add(name)) {
                throw error(path + ".name", "feature '" + name + "' is declared twice");
            }
            String type = text(node, "type", path + ".type");
            InputFeature feature = switch (type) {
                case "numeric" -> numeric(node, path, name, offset);
                case "categorical" -> categorical(node, path, name, offset);
                default -> throw error(path + ".type", "expected numeric or categorical, got \"" + type + "\"");
            };
            features.add(feature);
            offset += feature.width();
        }
        return features;
    }

    private NumericInput numeric(JsonNode node, String path, String name, int offset) {
        String transform = optionalText(node, "transform", path + ".transform", "none");
        if (!transform.equals("none") && !transform.equals("log1p")) {
            throw error(path + ".transform", "expected none or log1p, got \"" + transform + "\"");
        }
        double std = number(node, "std", path + ".std");
        if (!(std > 0)) {
            throw error(path + ".std", "expected a positive number, got " + node.get("std"));
        }
        double min = optionalNumber(node, "min", path + ".min", Double.NEGATIVE_INFINITY);
        double max = optionalNumber(node, "max", path + ".max", Double.POSITIVE_INFINITY);
        if (min > max) {
            throw error(path + ".min", "min " + min + " is above max " + max);
        }
        if (transform.equals("log1p") && !(min > -1)) {
            throw error(path + ".min", "a log1p feature needs a min above -1, got " + min);
        }
        JsonNode codes = optionalObject(node, "reasonCodes");
        return new NumericInput(
                name,
                offset,
                transform.equals("log1p"),
                number(node, "mean", path + ".mean"),
                std,
                numericMissing(node, path),
                min,
                max,
                optionalText(node, "groupingSeparator", path + ".groupingSeparator"),
                suffixes(node, path),
                codes == null ? null : optionalText(codes, "high", path + ".reasonCodes.high"),
                codes == null ? null : optionalText(codes, "low", path + ".reasonCodes.low"));
    }

    private @Nullable Double numericMissing(JsonNode node, String path) {
        JsonNode missing = node.get("missing");
        if (missing == null || missing.isTextual() && missing.asText().equals("reject")) {
            return null;
        }
        if (missing.isNumber()) {
            return missing.doubleValue();
        }
        throw error(path + ".missing", "expected \"reject\" or a default number, got " + missing);
    }

    private Map<String, BigDecimal> suffixes(JsonNode node, String path) {
        JsonNode suffixes = optionalObject(node, "suffixes");
        Map<String, BigDecimal> map = new LinkedHashMap<>();
        if (suffixes != null) {
            for (Map.Entry<String, JsonNode> e : suffixes.properties()) {
                if (!e.getValue().isNumber() || e.getKey().isBlank()) {
                    throw error(
                            path + ".suffixes." + e.getKey(), "expected a number to multiply by, got " + e.getValue());
                }
                map.put(
                        e.getKey().strip().toLowerCase(Locale.ROOT),
                        e.getValue().decimalValue());
            }
        }
        return map;
    }

    private CategoricalInput categorical(JsonNode node, String path, String name, int offset) {
        List<String> categories = new ArrayList<>();
        JsonNode array = node.get("categories");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw error(path + ".categories", "expected a non-empty array of strings, got " + shape(array));
        }
        for (String category : strings(array, path + ".categories")) {
            String normalised = CategoricalInput.normalise(category);
            if (categories.contains(normalised)) {
                throw error(path + ".categories", "'" + category + "' is listed twice (after normalisation)");
            }
            categories.add(normalised);
        }
        Map<String, String> aliases = aliases(node, path, categories);
        String unknown = optionalText(node, "unknown", path + ".unknown", "bucket");
        if (!unknown.equals("bucket") && !unknown.equals("reject")) {
            throw error(path + ".unknown", "expected bucket or reject, got \"" + unknown + "\"");
        }
        boolean bucket = unknown.equals("bucket");
        String missing = optionalText(node, "missing", path + ".missing", bucket ? "unknown" : "reject");
        String missingCategory = switch (missing) {
            case "reject" -> null;
            case "unknown" -> {
                if (!bucket) {
                    throw error(path + ".missing", "\"unknown\" needs \"unknown\": \"bucket\"");
                }
                yield CategoricalInput.UNKNOWN;
            }
            default -> {
                String normalised = CategoricalInput.normalise(missing);
                if (!categories.contains(normalised)) {
                    throw error(path + ".missing", "expected reject, unknown or a category, got \"" + missing + "\"");
                }
                yield normalised;
            }
        };
        return new CategoricalInput(
                name, offset, categories, aliases, bucket, missingCategory, categoryCodes(node, path, categories));
    }

    private Map<String, String> aliases(JsonNode node, String path, List<String> categories) {
        JsonNode aliases = optionalObject(node, "aliases");
        Map<String, String> map = new LinkedHashMap<>();
        if (aliases != null) {
            for (Map.Entry<String, JsonNode> e : aliases.properties()) {
                String target = e.getValue().isTextual()
                        ? CategoricalInput.normalise(e.getValue().asText())
                        : null;
                if (target == null || !categories.contains(target)) {
                    throw error(path + ".aliases." + e.getKey(), "expected one of the categories, got " + e.getValue());
                }
                map.put(CategoricalInput.normalise(e.getKey()), target);
            }
        }
        return map;
    }

    private Map<String, String> categoryCodes(JsonNode node, String path, List<String> categories) {
        JsonNode codes = optionalObject(node, "reasonCodes");
        Map<String, String> map = new LinkedHashMap<>();
        if (codes != null) {
            for (Map.Entry<String, JsonNode> e : codes.properties()) {
                String key = e.getKey().equals(CategoricalInput.UNKNOWN)
                        ? CategoricalInput.UNKNOWN
                        : CategoricalInput.normalise(e.getKey());
                if (!key.equals(CategoricalInput.UNKNOWN) && !categories.contains(key)) {
                    throw error(path + ".reasonCodes." + e.getKey(), "is not a category");
                }
                if (!e.getValue().isTextual()) {
                    throw error(path + ".reasonCodes." + e.getKey(), "expected a string, got " + e.getValue());
                }
                map.put(key, e.getValue().asText());
            }
        }
        return map;
    }

    /** An optional {@code columns} list documents the input order; when present it must match the features. */
    private void checkColumns(JsonNode root, List<String> derived) {
        JsonNode columns = root.get("columns");
        if (columns == null) {
            return;
        }
        List<String> declared = strings(columns, "columns");
        for (int i = 0; i < Math.max(declared.size(), derived.size()); i++) {
            String expected = i < derived.size() ? derived.get(i) : "(nothing)";
            String got = i < declared.size() ? declared.get(i) : "(nothing)";
            if (!expected.equals(got)) {
                throw error(
                        "columns[" + i + "]",
                        "the features make this column \"" + expected + "\", but columns " + "says \"" + got + "\"");
            }
        }
    }

    private List<String> strings(JsonNode array, String path) {
        if (!array.isArray()) {
            throw error(path, "expected an array of strings, got " + shape(array));
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isTextual()) {
                throw error(path + "[" + i + "]", "expected a string, got " + array.get(i));
            }
            values.add(array.get(i).asText());
        }
        return values;
    }

    private JsonNode object(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null) {
            throw error(path, "is required");
        }
        requireObject(node, path);
        return node;
    }

    private JsonNode optionalObject(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node != null) {
            requireObject(node, field);
        }
        return node;
    }

    private void requireObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw error(path, "expected an object, got " + shape(node));
        }
    }

    private String text(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw error(path, node == null ? "is required" : "expected a non-empty string, got " + node);
        }
        return node.asText();
    }

    private String optionalText(JsonNode parent, String field, String path, String fallback) {
        return parent.has(field) ? text(parent, field, path) : fallback;
    }

    /** The field's text, or null when the field is absent. */
    private @Nullable String optionalText(JsonNode parent, String field, String path) {
        return parent.has(field) ? text(parent, field, path) : null;
    }

    private double number(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw error(path, node == null ? "is required" : "expected a number, got " + node);
        }
        return node.doubleValue();
    }

    private double optionalNumber(JsonNode parent, String field, String path, double fallback) {
        return parent.has(field) ? number(parent, field, path) : fallback;
    }

    private static String shape(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private IllegalArgumentException error(String path, String problem) {
        return new IllegalArgumentException(file + ": " + path + ": " + problem);
    }
}
