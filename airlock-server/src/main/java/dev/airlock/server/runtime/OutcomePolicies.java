package dev.airlock.server.runtime;

import dev.airlock.audit.AdminEvents;
import dev.airlock.monitor.outcome.BusinessCase;
import dev.airlock.monitor.outcome.FairnessPolicy;
import dev.airlock.monitor.outcome.MonitorOnly;
import dev.airlock.monitor.outcome.OutcomeWatcher;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.monitor.outcome.Watched;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.store.Store;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * A model's {@code operations.outcomes}, {@code fairness} and {@code evaluation} as the outcome parts need them: what
 * the watcher keeps, what the model must not see, and what reports are held against.
 */
final class OutcomePolicies {
    private OutcomePolicies() {}

    /** The watcher that keeps every answered prediction for later labels. */
    static OutcomeWatcher watcher(AirlockConfig config, Store store) {
        return new OutcomeWatcher(store.outcomeStore(), model -> watched(config, model));
    }

    /** Removes each model's monitor-only attributes before the model sees the features. */
    static MonitorOnly monitorOnly(AirlockConfig config) {
        return new MonitorOnly(model -> watched(config, model).monitorOnly());
    }

    /** Labels, feedback and reports over the store, audited in {@code audit}. */
    static Outcomes outcomes(AirlockConfig config, Store store, AdminEvents audit, Clock clock) {
        return new Outcomes(
                store.outcomeStore(),
                store.decisionLog(),
                store.evidenceStore(),
                audit,
                clock,
                model -> policy(config, model));
    }

    static Watched watched(AirlockConfig config, String model) {
        ModelConfig m = config.models().get(model);
        if (m == null || m.operations() == null) {
            return Watched.DEFAULT;
        }
        var outcomes = m.operations().outcomes();
        var fairness = m.operations().fairness();
        Set<String> attributes = new HashSet<>();
        Set<String> monitorOnly = new HashSet<>();
        String positive = null;
        if (outcomes != null) {
            attributes.addAll(outcomes.attributes());
            attributes.addAll(outcomes.monitorOnly());
            monitorOnly.addAll(outcomes.monitorOnly());
            positive = outcomes.positiveClass();
        }
        if (fairness != null) {
            attributes.add(fairness.attribute());
        }
        return new Watched(positive, attributes, monitorOnly);
    }

    static Outcomes.Policy policy(AirlockConfig config, String model) {
        ModelConfig m = config.models().get(model);
        if (m == null || m.operations() == null) {
            return Outcomes.Policy.NONE;
        }
        var e = m.operations().evaluation();
        var business = e == null
                ? BusinessCase.NONE
                : new BusinessCase(
                        e.pocAccuracy(),
                        e.productionDiscount(),
                        e.kpiBaseline(),
                        e.valuePerCorrectUsd(),
                        e.monthlyVolume());
        var f = m.operations().fairness();
        var fairness = f == null
                ? null
                : new FairnessPolicy(
                        f.attribute(),
                        f.favourableClass(),
                        f.minDisparateImpact(),
                        f.maxParityDifference(),
                        f.minGroupSize());
        return new Outcomes.Policy(business, fairness);
    }
}
