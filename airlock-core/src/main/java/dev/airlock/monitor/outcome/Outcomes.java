package dev.airlock.monitor.outcome;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.Stop;
import dev.airlock.evidence.Evaluation;
import dev.airlock.readiness.EvidenceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Ground truth after go-live, for HTTP and CLI alike: labels (one or an upload), feedback, and the report of what they
 * show. A caller labels and comments only on its own tenant's Decisions; another tenant's are reported as unknown, as
 * if they did not exist. Every change is audited: a new label, a correction (with the label it replaced), an upload
 * (its counts), feedback.
 *
 * <pre>{@code
 * var outcomes = new Outcomes(store.outcomeStore(), store.decisionLog(), store.evidenceStore(), trail, clock, policies);
 * LabelResult r = outcomes.label("acme", "key:app1", decisionId, "default");
 * Optional<OutcomeReport> report = outcomes.report("loan-risk", null, Duration.ofDays(30));
 * }</pre>
 */
public final class Outcomes {
    public static final int MAX_COMMENT = 4000;
    private static final int MAX_LABEL = 200;
    private static final Pattern FLAG = Pattern.compile("[a-z0-9_]{1,40}");

    private final OutcomeStore store;
    private final DecisionLog decisions;
    private final EvidenceStore evidence;
    private final AdminEvents audit;
    private final Clock clock;
    private final Function<String, Policy> policies;

    /**
     * What a model's report is held against.
     *
     * @param business the business case ({@link BusinessCase#NONE} when not declared)
     * @param fairness the fairness policy, or null
     */
    public record Policy(BusinessCase business, @Nullable FairnessPolicy fairness) {
        public static final Policy NONE = new Policy(BusinessCase.NONE, null);
    }

    /**
     * One line of an upload: a label for a Decision, or a line that could not be read, refused in its place (the rest
     * of the upload still applies).
     *
     * @param line its line number in the upload (from 1), or 0 when the lines are not numbered
     * @param refusal why the line could not be read (naming the field and what was expected), or null
     */
    public record LabelLine(
            int line,
            String decisionId,
            String label,
            @Nullable String refusal) {
        public LabelLine(String decisionId, String label) {
            this(0, decisionId, label, null);
        }

        /** A line that could not be read: refused as {@code invalid_line} with {@code why}. */
        public static LabelLine unreadable(int line, String decisionId, String why) {
            return new LabelLine(line, decisionId, "", why);
        }
    }

    /**
     * What an upload did, line by line, with counts.
     *
     * @param results one per line, in order
     * @param lines each result's line number in the upload (from 1)
     */
    public record Upload(List<LabelResult> results, List<Integer> lines) {
        public Upload {
            results = List.copyOf(results);
            lines = List.copyOf(lines);
            if (lines.size() != results.size()) {
                throw new IllegalArgumentException(results.size() + " results for " + lines.size() + " lines");
            }
        }

        public long count(Class<? extends LabelResult> kind) {
            return results.stream().filter(kind::isInstance).count();
        }
    }

    /** What became of feedback: recorded, or refused with a code and message as for labels. */
    public sealed interface FeedbackResult {
        record Recorded(Feedback feedback) implements FeedbackResult {}

        record Refused(String code, String message, String field) implements FeedbackResult {}
    }

    /** @param policies per model name, what its report is held against ({@link Policy#NONE} when nothing is) */
    public Outcomes(
            OutcomeStore store,
            DecisionLog decisions,
            EvidenceStore evidence,
            AdminEvents audit,
            Clock clock,
            Function<String, Policy> policies) {
        this.store = store;
        this.decisions = decisions;
        this.evidence = evidence;
        this.audit = audit;
        this.clock = clock;
        this.policies = policies;
    }

    /** Sets one Decision's true outcome, audited on its own. */
    public LabelResult label(String tenant, String actor, String decisionId, String label) {
        LabelResult result = apply(tenant, null, decisionId, label);
        switch (result) {
            case LabelResult.Recorded r ->
                audit.record(AdminAction.LABEL_RECORDED, tenant, actor, decisionId, Map.of("label", label));
            case LabelResult.Corrected c -> corrected(tenant, actor, c);
            case LabelResult.Unchanged u -> {}
            case LabelResult.Refused r -> {}
        }
        return result;
    }

    /**
     * Applies many labels; each line stands alone (a refused line does not stop the rest). The upload is audited as
     * one event with its counts and {@code source} (e.g. the file's SHA-256); each correction also on its own.
     *
     * @param model when not null, lines whose Decision is another model's are refused as {@code other_model}
     */
    public Upload upload(String tenant, String actor, @Nullable String model, List<LabelLine> lines, String source) {
        List<LabelResult> results = new ArrayList<>(lines.size());
        List<Integer> numbers = new ArrayList<>(lines.size());
        for (LabelLine line : lines) {
            LabelResult result = line.refusal() != null
                    ? new LabelResult.Refused(line.decisionId(), "invalid_line", line.refusal())
                    : apply(tenant, model, line.decisionId(), line.label());
            if (result instanceof LabelResult.Corrected c) {
                corrected(tenant, actor, c);
            }
            results.add(result);
            numbers.add(line.line() > 0 ? line.line() : numbers.size() + 1);
        }
        Upload upload = new Upload(results, numbers);
        Map<String, String> details = new HashMap<>();
        details.put("source", source);
        details.put("lines", Long.toString(lines.size()));
        details.put("recorded", Long.toString(upload.count(LabelResult.Recorded.class)));
        details.put("corrected", Long.toString(upload.count(LabelResult.Corrected.class)));
        details.put("unchanged", Long.toString(upload.count(LabelResult.Unchanged.class)));
        details.put("refused", Long.toString(upload.count(LabelResult.Refused.class)));
        audit.record(AdminAction.LABELS_UPLOADED, tenant, actor, model, details);
        return upload;
    }

    private void corrected(String tenant, String actor, LabelResult.Corrected c) {
        audit.record(
                AdminAction.LABEL_CORRECTED,
                tenant,
                actor,
                c.decisionId(),
                Map.of("label", c.label(), "previous", c.previous()));
    }

    private LabelResult apply(String tenant, @Nullable String model, String decisionId, String rawLabel) {
        String label = rawLabel.strip();
        Optional<KeptPrediction> kept =
                store.findPrediction(decisionId).filter(p -> p.tenant().equals(tenant));
        if (kept.isEmpty()) {
            boolean known = ownDecision(tenant, decisionId).isPresent();
            return known
                    ? new LabelResult.Refused(
                            decisionId,
                            "not_a_prediction",
                            "decision '" + Stop.echo(decisionId) + "' has no kept prediction to label (not an answered"
                                    + " prediction); give feedback instead")
                    : new LabelResult.Refused(
                            decisionId,
                            "unknown_decision",
                            "no decision '" + Stop.echo(decisionId) + "' is recorded for tenant '" + tenant + "'");
        }
        KeptPrediction prediction = kept.get();
        if (model != null && !prediction.model().equals(model)) {
            return new LabelResult.Refused(
                    decisionId,
                    "other_model",
                    "decision '" + Stop.echo(decisionId) + "' is a prediction of '" + prediction.model() + "', not '"
                            + model + "'");
        }
        if (label.isEmpty()
                || label.length() > MAX_LABEL
                || !prediction.classes().contains(label)) {
            return new LabelResult.Refused(
                    decisionId,
                    "invalid_label",
                    "label '" + abbreviated(label) + "' is not one of the model's classes " + prediction.classes());
        }
        if (label.equals(prediction.label())) {
            return new LabelResult.Unchanged(decisionId, label);
        }
        String previous = store.setLabel(decisionId, label, clock.instant());
        return previous == null
                ? new LabelResult.Recorded(decisionId, label)
                : previous.equals(label)
                        ? new LabelResult.Unchanged(decisionId, label)
                        : new LabelResult.Corrected(decisionId, label, previous);
    }

    private Optional<Decision> ownDecision(String tenant, String decisionId) {
        return decisions
                .findDecision(decisionId)
                .filter(d -> d.principal() != null && d.principal().tenant().equals(tenant));
    }

    /**
     * Records feedback on any of the tenant's Decisions (chat answers included), audited.
     *
     * @param score -1 or 1, or null
     * @param rating 1 to 5, or null
     */
    public FeedbackResult feedback(
            String tenant,
            String actor,
            String decisionId,
            @Nullable Integer score,
            @Nullable Integer rating,
            @Nullable String flag,
            @Nullable String comment) {
        if (ownDecision(tenant, decisionId).isEmpty()) {
            return new FeedbackResult.Refused(
                    "unknown_decision",
                    "no decision '" + Stop.echo(decisionId) + "' is recorded for tenant '" + tenant + "'",
                    "id");
        }
        if (score == null && rating == null && flag == null && comment == null) {
            return new FeedbackResult.Refused(
                    "invalid_value", "feedback needs at least one of score, rating, flag, comment", "score");
        }
        if (score != null && score != -1 && score != 1) {
            return new FeedbackResult.Refused(
                    "invalid_value", "score " + score + " must be -1 (bad) or 1 (good)", "score");
        }
        if (rating != null && (rating < 1 || rating > 5)) {
            return new FeedbackResult.Refused(
                    "invalid_value", "rating " + rating + " must be from 1 (worst) to 5 (best)", "rating");
        }
        if (flag != null && !FLAG.matcher(flag).matches()) {
            return new FeedbackResult.Refused(
                    "invalid_value",
                    "flag '" + abbreviated(flag) + "' must be 1 to 40 of a-z, 0-9 and _ (e.g. wrong, harmful)",
                    "flag");
        }
        if (comment != null && comment.length() > MAX_COMMENT) {
            return new FeedbackResult.Refused(
                    "invalid_value",
                    "comment has " + comment.length() + " characters; at most " + MAX_COMMENT + " are kept",
                    "comment");
        }
        Instant now = clock.instant();
        var feedback = new Feedback(
                DecisionIds.next(now.toEpochMilli()), decisionId, tenant, now, actor, score, rating, flag, comment);
        store.recordFeedback(feedback);
        Map<String, String> details = new HashMap<>();
        details.put("id", feedback.id());
        if (score != null) {
            details.put("score", score.toString());
        }
        if (rating != null) {
            details.put("rating", rating.toString());
        }
        if (flag != null) {
            details.put("flag", flag);
        }
        audit.record(AdminAction.FEEDBACK_RECORDED, tenant, actor, decisionId, details);
        return new FeedbackResult.Recorded(feedback);
    }

    /** The feedback on one of the tenant's Decisions; empty for another tenant's. */
    public List<Feedback> feedbackOn(String tenant, String decisionId) {
        return store.feedback(decisionId).stream()
                .filter(f -> f.tenant().equals(tenant))
                .toList();
    }

    /** The report over the last {@code window}, ending now. */
    public OutcomeReport report(String model, @Nullable String version, Duration window) {
        Instant to = clock.instant();
        return report(model, version, to.minus(window), to);
    }

    /** The report over the predictions made in {@code [from, to)}, across every tenant. */
    public OutcomeReport report(String model, @Nullable String version, Instant from, Instant to) {
        List<KeptPrediction> predictions = new ArrayList<>();
        store.forEachPrediction(model, version, from, to, predictions::add);
        LiveMetrics metrics = LiveMetrics.of(predictions);
        Policy policy = policies.apply(model);
        Double expected = policy.business().expectedAccuracy();
        Evaluation evaluation = evidence.evaluations(model).stream()
                .filter(e -> version == null || version.equals(e.modelVersion()))
                .max(Comparator.comparing(Evaluation::at))
                .orElse(null);
        boolean below = expected != null
                && metrics.accuracy().known()
                && metrics.accuracy().high() < expected;
        FairnessReport fairness = policy.fairness() == null ? null : FairnessReport.of(policy.fairness(), predictions);
        Roi roi = Roi.of(policy.business(), metrics.accuracy(), predictions.size(), Duration.between(from, to));
        return new OutcomeReport(model, version, from, to, metrics, evaluation, expected, below, fairness, roi);
    }

    private static String abbreviated(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
