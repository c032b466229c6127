package dev.airlock.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.monitor.DriftWatch;
import java.io.UncheckedIOException;

/**
 * A drift check as JSON, as the admin API and {@code airlock drift --json} print it: which model version, windows and
 * reference were compared, then the report's own fields ({@code dataset_drift}, {@code columns}, …).
 */
public final class DriftJson {
    private DriftJson() {}

    public static ObjectNode report(DriftWatch.Report r) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("object", "drift_report");
        root.put("model", r.model());
        root.put("version", r.version());
        root.put("from", r.from().toString());
        root.put("to", r.to().toString());
        root.put("calls", r.calls());
        root.put("reference_rows", r.referenceRows());
        try {
            root.setAll((ObjectNode) Json.mapper().readTree(r.report().json()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }
}
