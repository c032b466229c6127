package dev.airlock.examples.loanrisk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.examples.loanrisk.Encoding.FittedNumeric;
import dev.airlock.examples.loanrisk.FeatureDef.Categorical;
import dev.airlock.examples.loanrisk.FeatureDef.Numeric;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes the sidecar {@code <model>.schema.json} that tells a runtime how to encode and explain the ONNX model. */
final class SchemaWriter {
    static final String FORMAT = "airlock.tabular-model/1";
    static final List<String> MISSING_TOKENS = List.of("", "n/a", "na", "null", "none", "nan", "-", "?");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the model came from, for the schema's header. */
    record Provenance(
            String name,
            String version,
            String description,
            String algorithm,
            String onnxFile,
            String onnxSha256,
            String dataFile,
            String dataSha256,
            int trainRows,
            int holdoutRows) {}

    private SchemaWriter() {}

    static byte[] toBytes(Provenance provenance, Encoding encoding, Map<String, Map<String, Double>> metrics) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode model = root.putObject("model");
        model.put("name", provenance.name());
        model.put("version", provenance.version());
        model.put("description", provenance.description());
        model.put("algorithm", provenance.algorithm());
        ObjectNode onnx = root.putObject("onnx");
        onnx.put("file", provenance.onnxFile());
        onnx.put("sha256", provenance.onnxSha256());
        onnx.put("input", OnnxExport.INPUT);
        onnx.put("probability", OnnxExport.PROBABILITY);
        onnx.put("contributions", OnnxExport.CONTRIBUTIONS);
        ObjectNode data = root.putObject("trainingData");
        data.put("file", provenance.dataFile());
        data.put("sha256", provenance.dataSha256());
        data.put("trainRows", provenance.trainRows());
        data.put("holdoutRows", provenance.holdoutRows());
        ObjectNode labels = root.putObject("labels");
        labels.put("positive", "default");
        labels.put("negative", "repay");
        labels.put("threshold", 0.5);
        ArrayNode missing = root.putArray("missingTokens");
        MISSING_TOKENS.forEach(missing::add);
        root.put("maxReasons", 4);
        ArrayNode features = root.putArray("features");
        for (FeatureDef def : LoanFeatures.ALL) {
            switch (def) {
                case Numeric n -> writeNumeric(features.addObject(), encoding.numeric(n.name()));
                case Categorical c -> writeCategorical(features.addObject(), c);
            }
        }
        ArrayNode columns = root.putArray("columns");
        encoding.columns().forEach(columns::add);
        ObjectNode metricsNode = root.putObject("metrics");
        metrics.forEach((split, values) -> {
            ObjectNode node = metricsNode.putObject(split);
            values.forEach((metric, value) -> node.put(metric, round4(value)));
        });
        return pretty(root);
    }

    private static void writeNumeric(ObjectNode node, FittedNumeric fitted) {
        Numeric def = fitted.def();
        node.put("name", def.name());
        node.put("type", "numeric");
        node.put("description", def.description());
        node.put("unit", def.unit());
        node.put("transform", def.log1p() ? "log1p" : "none");
        node.put("mean", fitted.mean());
        node.put("std", fitted.std());
        if (fitted.missingDefault() == null) {
            node.put("missing", "reject");
        } else {
            node.put("missing", fitted.missingDefault());
        }
        node.put("min", def.min());
        node.put("max", def.max());
        if (def.groupingSeparator() != null) {
            node.put("groupingSeparator", def.groupingSeparator());
        }
        if (!def.suffixes().isEmpty()) {
            ObjectNode suffixes = node.putObject("suffixes");
            new TreeMap<>(def.suffixes()).forEach(suffixes::put);
        }
        ObjectNode codes = node.putObject("reasonCodes");
        codes.put("high", def.highCode());
        codes.put("low", def.lowCode());
    }

    private static void writeCategorical(ObjectNode node, Categorical def) {
        node.put("name", def.name());
        node.put("type", "categorical");
        node.put("description", def.description());
        ArrayNode categories = node.putArray("categories");
        def.categories().forEach(categories::add);
        ObjectNode aliases = node.putObject("aliases");
        def.aliases().forEach(aliases::put);
        node.put("unknown", "bucket");
        node.put("missing", def.missing());
        ObjectNode codes = node.putObject("reasonCodes");
        def.categories().forEach(c -> codes.put(c, def.codePrefix() + "_" + c.toUpperCase(Locale.ROOT)));
        codes.put(Encoding.UNKNOWN, def.codePrefix() + "_UNRECOGNISED");
    }

    static double round4(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** Two-space indents and {@code \n} line ends whatever the platform, so the bytes are the same everywhere. */
    static byte[] pretty(ObjectNode root) {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators)
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return (JSON.writer(printer).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
