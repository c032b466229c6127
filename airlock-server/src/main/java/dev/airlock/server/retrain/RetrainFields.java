package dev.airlock.server.retrain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.monitor.retrain.Trigger;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a trigger is told, the same facts as environment variables (a command) and as JSON (a webhook). */
final class RetrainFields {
    private RetrainFields() {}

    static Map<String, String> env(Trigger.Call c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AIRLOCK_RUN_ID", c.runId());
        env.put("AIRLOCK_MODEL", c.model());
        env.put("AIRLOCK_VERSION", c.version());
        env.put("AIRLOCK_REASON", c.reason());
        env.put("AIRLOCK_VALUE", c.value() == null ? "" : c.value().toString());
        env.put("AIRLOCK_THRESHOLD", c.threshold() == null ? "" : c.threshold().toString());
        env.put("AIRLOCK_WINDOW_FROM", c.windowFrom().toString());
        env.put("AIRLOCK_WINDOW_TO", c.windowTo().toString());
        env.put("AIRLOCK_EXTRACT", c.extract().toAbsolutePath().toString());
        env.put("AIRLOCK_EXTRACT_ROWS", Integer.toString(c.extractRows()));
        env.put("AIRLOCK_RUN_DIR", c.directory().toAbsolutePath().toString());
        return env;
    }

    static ObjectNode json(Trigger.Call c) {
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("object", "retrain.request")
                .put("run_id", c.runId())
                .put("model", c.model())
                .put("version", c.version())
                .put("reason", c.reason());
        body.put("value", c.value());
        body.put("threshold", c.threshold());
        body.put("window_from", c.windowFrom().toString())
                .put("window_to", c.windowTo().toString())
                .put("extract", c.extract().toAbsolutePath().toString())
                .put("extract_rows", c.extractRows())
                .put("run_dir", c.directory().toAbsolutePath().toString());
        return body;
    }
}
