package dev.airlock.server.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.readiness.Readiness;
import dev.airlock.registry.ServedModel;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of deployments, their changes and readiness scorecards, for the admin API and the CLI alike. */
public final class DeploymentJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DeploymentJson() {}

    /** The scorecard as JSON: {@code {model, version, ready, checks: [{check, requirement, passed, detail, waiver}]}}. */
    public static ObjectNode scorecard(Readiness.Scorecard card) {
        var root = JSON.objectNode();
        root.put("model", card.model()).put("version", card.version()).put("ready", card.ready());
        var checks = root.putArray("checks");
        for (var r : card.results()) {
            var c = checks.addObject()
                    .put("check", r.check().id())
                    .put("requirement", r.check().requirement())
                    .put("passed", r.passed())
                    .put("detail", r.detail());
            if (r.waiver() != null) {
                c.putObject("waiver")
                        .put("by", r.waiver().actor())
                        .put("at", r.waiver().at().toString())
                        .put("justification", r.waiver().justification())
                        .put("version", r.waiver().version())
                        .put("expires_at", r.waiver().expiresAt().toString());
            }
        }
        return root;
    }

    /** The gate's refusal: a problem (RFC 9457) naming what is missing, and the missing checks one by one. */
    public static ObjectNode notReady(String model, String version, DeploymentDesk.NotReady refused) {
        ObjectNode root = JSON.objectNode()
                .put("type", "https://airlock.dev/problems/not-ready")
                .put("title", "Conflict")
                .put("status", 409);
        root.put(
                "detail",
                "The readiness gate refuses to promote " + model + " version " + version + " to production;"
                        + " missing: "
                        + String.join(
                                "; ",
                                refused.missing().stream()
                                        .map(r -> r.check().id() + " (" + r.detail() + ")")
                                        .toList()));
        root.put("instance", "/v1/deployments/" + model + "/promote");
        root.put("code", "not_ready");
        ArrayNode missing = root.putArray("missing");
        refused.missing()
                .forEach(r -> missing.addObject()
                        .put("check", r.check().id())
                        .put("requirement", r.check().requirement())
                        .put("detail", r.detail()));
        return root;
    }

    /** A change made, and the deployment after it. */
    public static ObjectNode changed(DeploymentChange change, Deployment now) {
        return changed(change, now, List.of());
    }

    /** The same, with what the operator should know (present only when there is something). */
    public static ObjectNode changed(DeploymentChange change, Deployment now, List<String> warnings) {
        ObjectNode root = JSON.objectNode();
        root.set("change", change(change));
        root.set("deployment", deployment(now));
        if (!warnings.isEmpty()) {
            warnings.forEach(root.putArray("warnings")::add);
        }
        return root;
    }

    public static ObjectNode shadowSummary(String version, Instant since, ShadowComparison.Tally tally) {
        ObjectNode s = JSON.objectNode()
                .put("version", version)
                .put("since", since.toString())
                .put("compared", tally.compared())
                .put("agreed", tally.agreed())
                .put("shadow_answered", tally.answered());
        if (tally.compared() > 0) {
            s.put("agreement_rate", tally.agreementRate());
            s.put("production_mean_latency_ms", tally.productionMeanMillis());
            s.put("shadow_mean_latency_ms", tally.shadowMeanMillis());
        }
        s.put("production_cost_usd", tally.productionCost().stripTrailingZeros().toPlainString());
        s.put("shadow_cost_usd", tally.shadowCost().stripTrailingZeros().toPlainString());
        return s;
    }

    public static ObjectNode deployment(Deployment d) {
        ObjectNode o = JSON.objectNode().put("model", d.model()).put("production", d.production());
        if (d.canary() == null) {
            o.putNull("canary");
        } else {
            o.putObject("canary")
                    .put("version", d.canary().version())
                    .put("share", d.canary().share());
        }
        o.put("shadow", d.shadow());
        ObjectNode aliases = o.putObject("aliases");
        d.aliases().forEach(aliases::put);
        o.put("updated_at", d.updatedAt() == null ? null : d.updatedAt().toString());
        return o;
    }

    public static ObjectNode version(ServedModel v) {
        ObjectNode o = JSON.objectNode().put("version", v.spec().version());
        ArrayNode targets = o.putArray("targets");
        v.targets()
                .forEach(t ->
                        targets.addObject().put("provider", t.provider()).put("upstream_model", t.upstreamModel()));
        var info = v.info();
        o.put("artifact", info.artifact())
                .put("sha256", info.sha256())
                .put("framework", info.framework())
                .put("training_data", info.trainingData())
                .put("lineage", info.lineage())
                .put("input_schema", info.inputSchema())
                .put("output_schema", info.outputSchema());
        ObjectNode metrics = o.putObject("metrics");
        info.metrics().forEach(metrics::put);
        ArrayNode tags = o.putArray("tags");
        info.tags().forEach(tags::add);
        return o;
    }

    public static ObjectNode change(DeploymentChange c) {
        return JSON.objectNode()
                .put("id", c.id())
                .put("at", c.at().toString())
                .put("actor", c.actor())
                .put("action", c.action())
                .put("from", c.from())
                .put("to", c.to())
                .put("reason", c.reason());
    }
}
