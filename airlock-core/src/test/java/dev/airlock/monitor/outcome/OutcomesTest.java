package dev.airlock.monitor.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditEvent;
import dev.airlock.decision.DecisionLogContract;
import dev.airlock.decision.InMemoryDecisionLog;
import dev.airlock.decision.Outcome;
import dev.airlock.readiness.InMemoryEvidenceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Labels, feedback and what they show, on eight predictions worked out by hand (positive class {@code default}):
 *
 * <pre>
 * id  predicted  p(default)  label    region   outcome
 * d1  default    0.9         default  north    TP
 * d2  default    0.8         repay    north    FP
 * d3  default    0.7         default  south    TP
 * d4  repay      0.4         default  south    FN
 * d5  repay      0.3         repay    north    TN
 * d6  repay      0.2         repay    south    TN
 * d7  repay      0.1         repay    south    TN
 * d8  default    0.6         default  south    TP
 * </pre>
 */
class OutcomesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final double EPS = 1e-12;

    private final InMemoryOutcomeStore store = new InMemoryOutcomeStore();
    private final InMemoryDecisionLog decisions = new InMemoryDecisionLog();
    private final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final Clock clock = Clock.fixed(T0.plus(Duration.ofHours(23)), ZoneOffset.UTC);
    private final Outcomes outcomes = new Outcomes(
            store,
            decisions,
            evidence,
            (action, tenant, actor, target, details) -> {
                var e = new AuditEvent("e" + audited.size(), T0, tenant, actor, action.id(), target, details);
                audited.add(e);
                return e;
            },
            clock,
            model -> new Outcomes.Policy(
                    new BusinessCase(0.9, 0.2, 0.70, 40.0, 10_000L), new FairnessPolicy("region", "repay", 0.8, 0.1)));

    private void keep(String id, String predicted, double p, String region) {
        store.keep(new KeptPrediction(
                id,
                "acme",
                "loan-risk",
                "1.0.0",
                T0.plusSeconds(Integer.parseInt(id.substring(1))),
                predicted,
                List.of("default", "repay"),
                "default",
                p,
                Map.of("region", region),
                null,
                null));
    }

    private void keepAndLabelTheTable() {
        keep("d1", "default", 0.9, "north");
        keep("d2", "default", 0.8, "north");
        keep("d3", "default", 0.7, "south");
        keep("d4", "repay", 0.4, "south");
        keep("d5", "repay", 0.3, "north");
        keep("d6", "repay", 0.2, "south");
        keep("d7", "repay", 0.1, "south");
        keep("d8", "default", 0.6, "south");
        var upload = outcomes.upload(
                "acme",
                "key:app1",
                "loan-risk",
                List.of(
                        line("d1", "default"),
                        line("d2", "repay"),
                        line("d3", "default"),
                        line("d4", "default"),
                        line("d5", "repay"),
                        line("d6", "repay"),
                        line("d7", "repay"),
                        line("d8", "default")),
                "sha256:ab");
        assertThat(upload.count(LabelResult.Recorded.class)).isEqualTo(8);
    }

    private static Outcomes.LabelLine line(String id, String label) {
        return new Outcomes.LabelLine(id, label);
    }

    @Test
    void liveMetrics_areTheHandComputedOnes_withTheirIntervals() {
        keepAndLabelTheTable();

        var m = outcomes.report("loan-risk", "1.0.0", Duration.ofDays(1)).metrics();

        assertThat(m.predictions()).isEqualTo(8);
        assertThat(m.labelled()).isEqualTo(8);
        // accuracy 6/8; Wilson at z = 1.959963984540054
        assertThat(m.accuracy().value()).isEqualTo(0.75);
        assertThat(m.accuracy().low()).isCloseTo(0.40927543031016883, within(EPS));
        assertThat(m.accuracy().high()).isCloseTo(0.9285207872478909, within(EPS));
        // precision TP/(TP+FP) = 3/4, recall TP/(TP+FN) = 3/4
        assertThat(m.precision().value()).isEqualTo(0.75);
        assertThat(m.precision().low()).isCloseTo(0.30064184258240184, within(EPS));
        assertThat(m.recall().value()).isEqualTo(0.75);
        // AUC: of 16 positive-negative pairs 13 are ranked right; DeLong: V10 = (1, .75, .75, .75),
        // V01 = (.25, 1, 1, 1), var = 0.015625/4 + 0.140625/4 = 0.0390625
        assertThat(m.auc().value()).isEqualTo(0.8125);
        assertThat(m.auc().low()).isCloseTo(0.8125 - 1.959963984540054 * Math.sqrt(0.0390625), within(EPS));
        assertThat(m.auc().high()).as("clipped to 1").isEqualTo(1.0);
        // every row alone in its bin: ECE = (.1+.8+.3+.6+.3+.2+.1+.4)/8
        assertThat(m.calibrationError().value()).isCloseTo(0.35, within(EPS));
        assertThat(m.calibrationError().low()).isLessThanOrEqualTo(0.35);
        assertThat(m.calibrationError().high()).isGreaterThanOrEqualTo(0.35);
    }

    @Test
    void aCorrectedLabel_changesLiveAccuracyExactly_andIsAuditedAsACorrection() {
        keepAndLabelTheTable();
        audited.clear();

        var result = outcomes.label("acme", "key:app1", "d2", "default");
        var again = outcomes.label("acme", "key:app1", "d2", "default");

        assertThat(result).isEqualTo(new LabelResult.Corrected("d2", "default", "repay"));
        assertThat(again).isEqualTo(new LabelResult.Unchanged("d2", "default"));
        assertThat(outcomes.report("loan-risk", null, Duration.ofDays(1))
                        .metrics()
                        .accuracy()
                        .value())
                .as("7 of 8 right now")
                .isEqualTo(0.875);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AdminAction.LABEL_CORRECTED.id());
            assertThat(e.target()).isEqualTo("d2");
            assertThat(e.details()).containsEntry("previous", "repay").containsEntry("label", "default");
        });
    }

    @Test
    void anUpload_reportsEachLine_duplicatesCorrectionsUnknownAndOtherTenantsIds() {
        keep("d1", "default", 0.9, "north");
        keep("d2", "repay", 0.2, "south");
        store.keep(new KeptPrediction(
                "g1",
                "globex",
                "loan-risk",
                "1.0.0",
                T0,
                "repay",
                List.of("default", "repay"),
                "default",
                0.1,
                Map.of(),
                null,
                null));
        var chat = DecisionLogContract.withId(DecisionLogContract.decision("acme", T0, new Outcome.Answered()), "c1");
        decisions.append(chat);

        var upload = outcomes.upload(
                "acme",
                "key:app1",
                "loan-risk",
                List.of(
                        line("d1", "default"),
                        line("d1", "default"),
                        line("d2", "default"),
                        line("d2", "repay"),
                        line("nope", "repay"),
                        line("g1", "default"),
                        line("c1", "repay"),
                        line("d1", "defualt")),
                "sha256:cd");

        assertThat(upload.results())
                .extracting(OutcomesTest::summary)
                .containsExactly(
                        "recorded d1 default",
                        "unchanged d1 default",
                        "recorded d2 default",
                        "corrected d2 repay (was default)",
                        "refused nope unknown_decision",
                        "refused g1 unknown_decision",
                        "refused c1 not_a_prediction",
                        "refused d1 invalid_label");
        assertThat(((LabelResult.Refused) upload.results().getLast()).message())
                .isEqualTo("label 'defualt' is not one of the model's classes [default, repay]");
        assertThat(store.findPrediction("g1").orElseThrow().label())
                .as("another tenant's prediction is untouched")
                .isNull();
        assertThat(audited)
                .extracting(AuditEvent::action)
                .containsExactly(AdminAction.LABEL_CORRECTED.id(), AdminAction.LABELS_UPLOADED.id());
        assertThat(audited.getLast().details())
                .containsEntry("lines", "8")
                .containsEntry("recorded", "2")
                .containsEntry("corrected", "1")
                .containsEntry("unchanged", "1")
                .containsEntry("refused", "4")
                .containsEntry("source", "sha256:cd");
    }

    private static String summary(LabelResult r) {
        return switch (r) {
            case LabelResult.Recorded x -> "recorded " + x.decisionId() + " " + x.label();
            case LabelResult.Unchanged x -> "unchanged " + x.decisionId() + " " + x.label();
            case LabelResult.Corrected x ->
                "corrected " + x.decisionId() + " " + x.label() + " (was " + x.previous() + ")";
            case LabelResult.Refused x -> "refused " + x.decisionId() + " " + x.code();
        };
    }

    @Test
    void fairness_byRegion_isTheHandComputedOne_andBreachesBothLimits() {
        keepAndLabelTheTable();

        var fairness = outcomes.report("loan-risk", null, Duration.ofDays(1)).fairness();

        // favourable = repay predicted: north d1 d2 d5 -> 1/3; south d3 d4 d6 d7 d8 -> 3/5
        assertThat(fairness.groups()).extracting(FairnessReport.Group::value).containsExactly("north", "south");
        var north = fairness.groups().get(0);
        var south = fairness.groups().get(1);
        assertThat(north.favourableRate()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(south.favourableRate()).isCloseTo(0.6, within(EPS));
        assertThat(fairness.disparateImpact()).isCloseTo((1.0 / 3) / 0.6, within(EPS));
        assertThat(fairness.parityDifference()).isCloseTo(0.6 - 1.0 / 3, within(EPS));
        // errors: north d2 wrong of 3, south d4 wrong of 5; FPR north 1/2 (d2 of d2 d5), FNR south 1/3 (d4 of d3 d4 d8)
        assertThat(north.errorRate().value()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(south.errorRate().value()).isCloseTo(0.2, within(EPS));
        assertThat(north.falsePositiveRate()).isEqualTo(0.5);
        assertThat(north.falseNegativeRate()).isEqualTo(0.0);
        assertThat(south.falsePositiveRate()).isEqualTo(0.0);
        assertThat(south.falseNegativeRate()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(fairness.breaches())
                .containsExactly(
                        "disparate impact 0.556 is below the minimum 0.800",
                        "parity difference 0.267 is above the maximum 0.100");
    }

    @Test
    void fairness_aGroupBelowTheMinimumSize_isReported_butNotCountedInTheRatioOrItsBreaches() {
        keepAndLabelTheTable(); // north: 3 predictions, south: 5
        var strict = new Outcomes(
                store,
                decisions,
                evidence,
                (action, tenant, actor, target, details) -> audited.getFirst(),
                clock,
                model -> new Outcomes.Policy(
                        new BusinessCase(0.9, 0.2, 0.70, 40.0, 10_000L),
                        new FairnessPolicy("region", "repay", 0.8, 0.1, 4)));

        var fairness = strict.report("loan-risk", null, Duration.ofDays(1)).fairness();

        assertThat(fairness.groups())
                .extracting(
                        FairnessReport.Group::value, FairnessReport.Group::predictions, FairnessReport.Group::counted)
                .containsExactly(tuple("north", 3L, false), tuple("south", 5L, true));
        assertThat(fairness.groups().get(0).favourableRate()).isCloseTo(1.0 / 3, within(EPS)); // still reported
        assertThat(fairness.disparateImpact()).isNaN(); // one group counts: nothing to compare
        assertThat(fairness.parityDifference()).isNaN();
        assertThat(fairness.breaches()).isEmpty();
    }

    @Test
    void roi_promisedAgainstRealised_isTheHandComputedOne() {
        keepAndLabelTheTable();

        var report = outcomes.report("loan-risk", null, Duration.ofDays(1));
        var roi = report.roi();

        // expected 0.9 x (1 - 0.2) = 0.72; promised (0.72 - 0.70) x $40 x 10,000 = $8,000 a month
        assertThat(report.expectedAccuracy()).isCloseTo(0.72, within(EPS));
        assertThat(roi.promisedMonthlyValueUsd()).isCloseTo(8_000, within(1e-6));
        // 8 predictions in 1 day -> 240 a month; realised (0.75 - 0.70) x $40 x 240 = $480
        assertThat(roi.actualMonthlyVolume()).isCloseTo(240, within(1e-9));
        assertThat(roi.realisedMonthlyValueUsd()).isCloseTo(480, within(1e-6));
        assertThat(roi.realisedLowUsd()).isCloseTo((0.40927543031016883 - 0.70) * 40 * 240, within(1e-6));
        assertThat(report.belowExpectation()).as("0.93 upper end is above 0.72").isFalse();
    }

    @Test
    void feedback_onAnyOwnDecision_isStoredAndAudited_andRefusedOtherwise() {
        var chat = DecisionLogContract.withId(DecisionLogContract.decision("acme", T0, new Outcome.Answered()), "c1");
        decisions.append(chat);

        var given = outcomes.feedback("acme", "key:app1", "c1", -1, null, "wrong", "cites the wrong rate");
        var otherTenant = outcomes.feedback("globex", "key:app2", "c1", 1, null, null, null);
        var badRating = outcomes.feedback("acme", "key:app1", "c1", null, 6, null, null);

        assertThat(given).isInstanceOf(Outcomes.FeedbackResult.Recorded.class);
        assertThat(outcomes.feedbackOn("acme", "c1")).singleElement().satisfies(f -> {
            assertThat(f.score()).isEqualTo(-1);
            assertThat(f.comment()).isEqualTo("cites the wrong rate");
        });
        assertThat(otherTenant)
                .isEqualTo(new Outcomes.FeedbackResult.Refused(
                        "unknown_decision", "no decision 'c1' is recorded for tenant 'globex'", "id"));
        assertThat(badRating)
                .isEqualTo(new Outcomes.FeedbackResult.Refused(
                        "invalid_value", "rating 6 must be from 1 (worst) to 5 (best)", "rating"));
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AdminAction.FEEDBACK_RECORDED.id());
            assertThat(e.details()).containsEntry("score", "-1").containsEntry("flag", "wrong");
        });
    }
}
