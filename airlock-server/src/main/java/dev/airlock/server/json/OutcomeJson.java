package dev.airlock.server.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.monitor.outcome.FairnessReport;
import dev.airlock.monitor.outcome.Feedback;
import dev.airlock.monitor.outcome.Interval;
import dev.airlock.monitor.outcome.LabelResult;
import dev.airlock.monitor.outcome.LiveMetrics;
import dev.airlock.monitor.outcome.OutcomeReport;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.monitor.outcome.Roi;
import org.jspecify.annotations.Nullable;

/** The JSON forms of labels, feedback and outcome reports, the same on HTTP and in {@code airlock accuracy --json}. */
public final class OutcomeJson {
    private OutcomeJson() {}

    /** One label's result: {@code {"decision_id", "result": recorded|unchanged|corrected|refused, ...}}. */
    public static ObjectNode label(ObjectMapper json, LabelResult result) {
        ObjectNode node = json.createObjectNode().put("decision_id", result.decisionId());
        switch (result) {
            case LabelResult.Recorded r -> node.put("result", "recorded").put("label", r.label());
            case LabelResult.Unchanged u -> node.put("result", "unchanged").put("label", u.label());
            case LabelResult.Corrected c ->
                node.put("result", "corrected").put("label", c.label()).put("previous", c.previous());
            case LabelResult.Refused r ->
                node.put("result", "refused").put("code", r.code()).put("message", r.message());
        }
        return node;
    }

    /** An upload's counts and its lines' results, numbered from 1 as in the body. */
    public static ObjectNode upload(ObjectMapper json, Outcomes.Upload upload) {
        ObjectNode node = json.createObjectNode().put("object", "label_upload");
        node.put("lines", upload.results().size());
        node.put("recorded", upload.count(LabelResult.Recorded.class));
        node.put("corrected", upload.count(LabelResult.Corrected.class));
        node.put("unchanged", upload.count(LabelResult.Unchanged.class));
        node.put("refused", upload.count(LabelResult.Refused.class));
        var results = node.putArray("results");
        for (int i = 0; i < upload.results().size(); i++) {
            results.add(label(json, upload.results().get(i))
                    .put("line", upload.lines().get(i)));
        }
        return node;
    }

    public static ObjectNode feedback(ObjectMapper json, Feedback f) {
        ObjectNode node = json.createObjectNode()
                .put("id", f.id())
                .put("object", "feedback")
                .put("decision_id", f.decisionId())
                .put("at", f.at().toString())
                .put("actor", f.actor());
        node.put("score", f.score());
        node.put("rating", f.rating());
        node.put("flag", f.flag());
        node.put("comment", f.comment());
        return node;
    }

    /** A report: metrics with intervals, the evaluation and expectation, fairness and ROI. */
    public static ObjectNode report(ObjectMapper json, OutcomeReport r) {
        ObjectNode node = json.createObjectNode()
                .put("object", "outcome_report")
                .put("model", r.model())
                .put("version", r.version())
                .put("from", r.from().toString())
                .put("to", r.to().toString());
        LiveMetrics m = r.metrics();
        node.put("predictions", m.predictions());
        node.put("labelled", m.labelled());
        ObjectNode metrics = node.putObject("metrics");
        metrics.set("accuracy", interval(json, m.accuracy()).put("method", "wilson"));
        metrics.set("precision", interval(json, m.precision()).put("method", "wilson"));
        metrics.set("recall", interval(json, m.recall()).put("method", "wilson"));
        metrics.set("auc", interval(json, m.auc()).put("method", "delong"));
        metrics.set(
                "calibration_error",
                interval(json, m.calibrationError())
                        .put("method", "bootstrap")
                        .put("bins", LiveMetrics.CALIBRATION_BINS));
        ObjectNode expected = node.putObject("expected");
        expected.put("accuracy", r.expectedAccuracy());
        expected.put("below_expectation", r.belowExpectation());
        if (r.evaluation() != null) {
            var e = r.evaluation();
            expected.putObject("evaluation")
                    .put("id", e.id())
                    .put("version", e.modelVersion())
                    .put("at", e.at().toString())
                    .put("accuracy", e.accuracy())
                    .put("auc", finite(e.auc()))
                    .put("adjusted_accuracy", e.adjustedAccuracy());
        } else {
            expected.putNull("evaluation");
        }
        if (r.fairness() != null) {
            node.set("fairness", fairness(json, r.fairness()));
        } else {
            node.putNull("fairness");
        }
        if (r.roi() != null) {
            node.set("roi", roi(json, r.roi()));
        } else {
            node.putNull("roi");
        }
        return node;
    }

    private static ObjectNode interval(ObjectMapper json, Interval i) {
        return json.createObjectNode()
                .put("value", finite(i.value()))
                .put("low", finite(i.low()))
                .put("high", finite(i.high()))
                .put("n", i.n());
    }

    private static ObjectNode fairness(ObjectMapper json, FairnessReport f) {
        ObjectNode node = json.createObjectNode()
                .put("attribute", f.policy().attribute())
                .put("favourable_class", f.favourableClass())
                .put("parity_difference", finite(f.parityDifference()))
                .put("disparate_impact", finite(f.disparateImpact()))
                .put("min_disparate_impact", f.policy().minDisparateImpact())
                .put("max_parity_difference", f.policy().maxParityDifference())
                .put("min_group_size", f.policy().minGroupSize())
                .put("passes", f.breaches().isEmpty());
        var breaches = node.putArray("breaches");
        f.breaches().forEach(breaches::add);
        var groups = node.putArray("groups");
        for (FairnessReport.Group g : f.groups()) {
            ObjectNode group = groups.addObject()
                    .put("value", g.value())
                    .put("predictions", g.predictions())
                    .put("favourable_rate", finite(g.favourableRate()))
                    .put("labelled", g.labelled())
                    .put("false_positive_rate", finite(g.falsePositiveRate()))
                    .put("false_negative_rate", finite(g.falseNegativeRate()))
                    .put("counted", g.counted());
            group.set("error_rate", interval(json, g.errorRate()));
        }
        return node;
    }

    private static ObjectNode roi(ObjectMapper json, Roi roi) {
        ObjectNode node = json.createObjectNode();
        node.putObject("promised")
                .put("expected_accuracy", roi.expectedAccuracy())
                .put("monthly_volume", roi.promisedMonthlyVolume())
                .put("monthly_value_usd", roi.promisedMonthlyValueUsd());
        node.putObject("realised")
                .put("live_accuracy", finite(roi.liveAccuracy().value()))
                .put("monthly_volume", roi.actualMonthlyVolume())
                .put("monthly_value_usd", finite(roi.realisedMonthlyValueUsd()))
                .put("monthly_value_low_usd", finite(roi.realisedLowUsd()))
                .put("monthly_value_high_usd", finite(roi.realisedHighUsd()));
        node.put("kpi_baseline", roi.kpiBaseline());
        node.put("value_per_correct_usd", roi.valuePerCorrectUsd());
        node.put(
                "formula",
                "monthly value = (accuracy - kpi_baseline) x value_per_correct_usd x decisions per month (30 days)");
        return node;
    }

    /** NaN (nothing to estimate from) as JSON null. */
    private static @Nullable Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
