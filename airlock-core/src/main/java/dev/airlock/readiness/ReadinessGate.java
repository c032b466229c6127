package dev.airlock.readiness;

import dev.airlock.readiness.Operations;
import dev.airlock.readiness.Readiness;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.store.Store;

/** The readiness scorecard of a model: its declared operations metadata and the evidence recorded in the store. */
public final class ReadinessGate {
    private ReadinessGate() {}

    /**
     * @throws ConfigException for a model the configuration does not declare
     */
    public static Readiness.Scorecard scorecard(AirlockConfig config, Store store, String model) {
        return scorecard(config, store, model, null);
    }

    /**
     * The scorecard of one version (the evidence gathered on it), or of the model when {@code version} is null.
     *
     * @throws ConfigException for a model the configuration does not declare
     */
    public static Readiness.Scorecard scorecard(AirlockConfig config, Store store, String model, String version) {
        AirlockConfig.ModelConfig m = config.models().get(model);
        if (m == null) {
            throw new ConfigException(
                    "no model '" + model + "'; declared: " + config.models().keySet());
        }
        return Readiness.evaluate(
                model,
                version,
                new Readiness.Evidence(
                        operations(m),
                        m.retention() != null,
                        m.expectedLoadRps(),
                        store.drills(model),
                        store.loadTests(model),
                        store.evaluations(model),
                        store.waivers(model)));
    }

    /** The scorecard as JSON: {@code {model, ready, checks: [{check, requirement, passed, detail, waiver}]}}. */
    public static com.fasterxml.jackson.databind.node.ObjectNode json(Readiness.Scorecard card) {
        var root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
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
                        .put("justification", r.waiver().justification());
            }
        }
        return root;
    }

    /** The operations metadata a model declares, or null when it declares neither owner nor operations. */
    public static Operations operations(AirlockConfig.ModelConfig m) {
        var o = m.operations();
        if (o == null) {
            return m.owner() == null ? null : new Operations(m.owner(), null, null, null, null, null, null, null);
        }
        var t = o.thresholds();
        return new Operations(
                m.owner(),
                o.contact(),
                o.escalation(),
                o.runbook(),
                t == null
                        ? null
                        : new Operations.Thresholds(
                                t.latencyP99Ms(), t.errorRate(), t.drift(), t.accuracy(), t.costPerDayUsd()),
                o.fallback(),
                o.dataClasses(),
                o.reviewRule());
    }
}
