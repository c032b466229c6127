package dev.airlock.server;

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
        AirlockConfig.ModelConfig m = config.models().get(model);
        if (m == null) {
            throw new ConfigException(
                    "no model '" + model + "'; declared: " + config.models().keySet());
        }
        return Readiness.evaluate(
                model,
                new Readiness.Evidence(
                        operations(m),
                        m.retention() != null,
                        m.expectedLoadRps(),
                        store.drills(model),
                        store.loadTests(model),
                        store.evaluations(model),
                        store.waivers(model)));
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
