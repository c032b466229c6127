package dev.airlock.monitor.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.monitor.drift.DriftReport.ColumnDrift;
import dev.airlock.monitor.drift.DriftReport.Counts;
import java.io.UncheckedIOException;

/**
 * The report as JSON. Field names are written here one by one, not derived from the records, so that renaming a
 * Java component never changes what consumers read. Numbers that are not finite are written as null.
 */
final class DriftJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DriftJson() {}

    static String render(DriftReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("dataset_drift", report.datasetDrift());
        root.put("drifted_columns", report.drifted());
        root.put("evaluated_columns", report.evaluated());
        root.put("drift_share", report.share());
        root.put("share_threshold", report.shareThreshold());
        ArrayNode columns = root.putArray("columns");
        for (ColumnDrift c : report.columns()) {
            ObjectNode col = columns.addObject();
            col.put("name", c.name());
            col.put("type", c.numeric() ? "numeric" : "categorical");
            col.put("method", c.method().key());
            number(col, "statistic", c.statistic());
            if (c.pValue() == null) {
                col.putNull("p_value");
            } else {
                number(col, "p_value", c.pValue());
            }
            col.put("threshold", c.threshold());
            col.put("drifted", c.drifted());
            if (c.skipped() == null) {
                col.putNull("skipped");
            } else {
                col.put("skipped", c.skipped());
            }
            col.put("rank_error", c.rankError());
            counts(col.putObject("reference"), c.reference());
            counts(col.putObject("current"), c.current());
            ObjectNode histogram = col.putObject("histogram");
            c.histogram().bins().forEach(histogram.putArray("bins")::add);
            c.histogram().reference().forEach(histogram.putArray("reference")::add);
            c.histogram().current().forEach(histogram.putArray("current")::add);
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void counts(ObjectNode node, Counts counts) {
        node.put("values", counts.values());
        node.put("nulls", counts.nulls());
        node.put("type_errors", counts.typeErrors());
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
