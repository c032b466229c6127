package dev.airlock.server.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.monitor.retrain.Candidate;
import dev.airlock.monitor.retrain.RetrainRun;
import java.util.TreeMap;

/** Retraining runs as JSON, the same on HTTP and in {@code airlock retrain --json}. */
public final class RetrainJson {
    private RetrainJson() {}

    public static ObjectNode run(ObjectMapper json, RetrainRun r) {
        ObjectNode o = json.createObjectNode()
                .put("object", "retrain.run")
                .put("id", r.id())
                .put("model", r.model())
                .put("version", r.version())
                .put("reason", r.reason())
                .put("alert_id", r.alertId());
        o.put("value", r.value());
        o.put("threshold", r.threshold());
        o.put("window_from", r.windowFrom().toString())
                .put("window_to", r.windowTo().toString())
                .put("trigger", r.trigger())
                .put("actor", r.actor())
                .put("status", r.status().id())
                .put("started_at", r.startedAt().toString())
                .put("ended_at", r.endedAt() == null ? null : r.endedAt().toString());
        o.put("exit_status", r.exitStatus());
        o.put("extract_rows", r.extractRows())
                .put("output_tail", r.outputTail())
                .put("error", r.error());
        Candidate c = r.candidate();
        if (c == null) {
            o.putNull("candidate");
        } else {
            ObjectNode cand = o.putObject("candidate")
                    .put("version", c.version())
                    .put("artifact", c.artifact())
                    .put("sha256", c.sha256())
                    .put("registration", c.registration());
            ObjectNode metrics = cand.putObject("metrics");
            new TreeMap<>(c.metrics()).forEach(metrics::put);
        }
        return o;
    }
}
