package dev.airlock.monitor.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditEvent;
import dev.airlock.decision.Content;
import dev.airlock.decision.DecisionLogContract;
import dev.airlock.decision.InMemoryDecisionLog;
import dev.airlock.decision.Outcome;
import dev.airlock.monitor.outcome.InMemoryOutcomeStore;
import dev.airlock.monitor.outcome.KeptPrediction;
import dev.airlock.time.FakeTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainingTest {
    private static final Instant T0 = Instant.parse("2026-03-10T00:00:00Z");

    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime(T0);
    private final InMemoryRetrainStore store = new InMemoryRetrainStore();
    private final InMemoryDecisionLog decisions = new InMemoryDecisionLog();
    private final InMemoryOutcomeStore outcomes = new InMemoryOutcomeStore();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final List<Trigger.Call> calls = new ArrayList<>();
    private final List<String> extracts = new ArrayList<>();
    private Trigger.Result answer = new Trigger.Result.Succeeded(
            0, "trained", new Candidate("1.1.0", "candidate.onnx", null, Map.of("holdout_auc", 0.75), null));

    /** A trigger that reads the extract it is given, as a trainer does, and answers {@link #answer}. */
    private final Trigger trainer = new Trigger() {
        @Override
        public String kind() {
            return "command";
        }

        @Override
        public Result run(Call call) {
            calls.add(call);
            try {
                extracts.add(Files.readString(call.extract()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return answer;
        }
    };

    private Retraining retraining(@Nullable Trigger trigger) {
        return new Retraining(
                store,
                decisions,
                outcomes,
                model -> model.equals("loan-risk") && trigger != null
                        ? Optional.of(new Retraining.Plan(
                                trigger,
                                Set.of("drift", "accuracy"),
                                Duration.ofHours(6),
                                Duration.ofDays(7),
                                1000,
                                dir,
                                (m, c, d) -> c.registeredAt(d.resolve(m + "-" + c.version() + ".yaml")
                                        .toString())))
                        : Optional.empty(),
                model -> Optional.of("1.0.0"),
                (action, tenant, actor, target, details) -> {
                    var e = new AuditEvent("e" + audited.size(), T0, tenant, actor, action.id(), target, details);
                    audited.add(e);
                    return e;
                },
                time.time());
    }

    /** A prediction of loan-risk {@code daysAgo} days before now; its Decision kept {@code features} (or nothing). */
    private void predicted(String id, int daysAgo, @Nullable String features, @Nullable String label) {
        Instant at = T0.minus(Duration.ofDays(daysAgo));
        var d = DecisionLogContract.withId(DecisionLogContract.decision("acme", at, new Outcome.Answered()), id);
        decisions.append(features == null ? d : d.withContent(Content.kept(features, "label=repay\n", null, null)));
        outcomes.keep(new KeptPrediction(
                id,
                "acme",
                "loan-risk",
                "1.0.0",
                at,
                "repay",
                List.of("default", "repay"),
                "default",
                0.2,
                Map.of(),
                null,
                null));
        if (label != null) {
            outcomes.setLabel(id, label, at.plusSeconds(60));
        }
    }

    private static Retraining.Request alert(String rule) {
        return new Retraining.Request("loan-risk", "1.0.0", rule, 0.31, 0.2, "alert-1", "airlock", false);
    }

    @Test
    void extract_holdsLabelledPredictionsWithKeptFeatures_inTheWindow() {
        predicted("d1", 1, "annual_income=38000\npurpose=car, used\nregion=south\n", "default");
        predicted("d2", 2, "annual_income=52000\nregion=north\n", "repay");
        predicted("d3", 1, "annual_income=1\nregion=east\n", null); // unlabelled
        predicted("d4", 1, null, "repay"); // digests only
        predicted("d5", 30, "annual_income=2\nregion=west\n", "repay"); // before the window

        var result = retraining(trainer).retrain(alert("drift"));

        RetrainRun run = ((Retraining.Result.Ran) result).run();
        assertThat(run.extractRows()).isEqualTo(2);
        assertThat(extracts.getFirst()).isEqualTo("""
                        decision_id,model_version,annual_income,purpose,region,label
                        d2,1.0.0,52000,,north,repay
                        d1,1.0.0,38000,"car, used",south,default
                        """);
        Trigger.Call call = calls.getFirst();
        assertThat(call.model()).isEqualTo("loan-risk");
        assertThat(call.version()).isEqualTo("1.0.0");
        assertThat(call.reason()).isEqualTo("drift");
        assertThat(call.windowFrom()).isEqualTo(T0.minus(Duration.ofDays(7)));
        assertThat(call.directory()).isEqualTo(dir.resolve(run.id()));
    }

    @Test
    void aRun_registersItsCandidate_recordsAndAuditsIt() {
        predicted("d1", 1, "annual_income=38000\n", "default");

        RetrainRun run = ((Retraining.Result.Ran) retraining(trainer).retrain(alert("accuracy"))).run();

        assertThat(run.status()).isEqualTo(RetrainRun.Status.SUCCEEDED);
        assertThat(run.exitStatus()).isZero();
        assertThat(run.candidate()).isNotNull();
        assertThat(run.candidate().registration())
                .isEqualTo(dir.resolve(run.id()).resolve("loan-risk-1.1.0.yaml").toString());
        assertThat(store.findRun(run.id())).contains(run);
        assertThat(audited)
                .extracting(AuditEvent::action)
                .containsExactly("retrain.started", "retrain.succeeded", "retrain.candidate_registered");
        assertThat(audited.get(1).details())
                .containsEntry("candidate_version", "1.1.0")
                .containsEntry("extract_rows", "1")
                .containsEntry("alert", "alert-1");
    }

    @Test
    void anAlert_withinTheCooldown_startsNoSecondRun_butAnOperatorCan() {
        predicted("d1", 1, "annual_income=38000\n", "default");
        Retraining r = retraining(trainer);
        r.retrain(alert("drift"));
        time.advance(Duration.ofHours(1));

        var again = r.retrain(alert("drift"));

        assertThat(again).isEqualTo(new Retraining.Result.CoolingDown("loan-risk", T0.plus(Duration.ofHours(6))));
        assertThat(r.retrain(Retraining.Request.manual("loan-risk", null, "key:k1")))
                .isInstanceOf(Retraining.Result.Ran.class);
        // the operator's run restarts the cool-down
        time.advance(Duration.ofHours(6));
        assertThat(r.retrain(alert("drift")))
                .isEqualTo(new Retraining.Result.CoolingDown("loan-risk", T0.plus(Duration.ofHours(7))));
        time.advance(Duration.ofSeconds(1));
        assertThat(r.retrain(alert("drift"))).isInstanceOf(Retraining.Result.Ran.class);
        assertThat(calls).hasSize(3);
    }

    @Test
    void noRows_failsTheRun_sayingWhy_withoutCallingTheTrigger() {
        predicted("d1", 1, null, "default");

        RetrainRun run = ((Retraining.Result.Ran) retraining(trainer).retrain(alert("drift"))).run();

        assertThat(run.status()).isEqualTo(RetrainRun.Status.FAILED);
        assertThat(run.error())
                .contains("no labelled predictions with kept features")
                .contains("retention");
        assertThat(calls).isEmpty();
        assertThat(audited).extracting(AuditEvent::action).containsExactly("retrain.started", "retrain.failed");
    }

    @Test
    void aFailingTrigger_isRecorded_withItsStatusAndOutput() {
        predicted("d1", 1, "annual_income=38000\n", "default");
        answer = new Trigger.Result.Failed(2, "Traceback: no such column", "the command exited with status 2");

        RetrainRun run = ((Retraining.Result.Ran) retraining(trainer).retrain(alert("drift"))).run();

        assertThat(run.status()).isEqualTo(RetrainRun.Status.FAILED);
        assertThat(run.exitStatus()).isEqualTo(2);
        assertThat(run.outputTail()).contains("no such column");
        assertThat(run.candidate()).isNull();
        assertThat(store.runs("loan-risk", 5)).containsExactly(run);
    }

    @Test
    void aSecondRequest_whileTheModelsRunIsRunning_isRefused_evenByHand() {
        predicted("d1", 1, "annual_income=38000\n", "default");
        List<Retraining.Result> duringTheRun = new ArrayList<>();
        Retraining[] r = new Retraining[1];
        Trigger asksAgain = new Trigger() {
            @Override
            public String kind() {
                return "command";
            }

            @Override
            public Result run(Call call) {
                duringTheRun.add(r[0].retrain(Retraining.Request.manual("loan-risk", null, "key:k2")));
                return answer;
            }
        };
        r[0] = retraining(asksAgain);

        RetrainRun first =
                ((Retraining.Result.Ran) r[0].retrain(Retraining.Request.manual("loan-risk", null, "key:k1"))).run();

        assertThat(duringTheRun).hasSize(1);
        assertThat(duringTheRun.getFirst())
                .isInstanceOfSatisfying(
                        Retraining.Result.AlreadyRunning.class,
                        running -> assertThat(running.running().id()).isEqualTo(first.id()));
        assertThat(store.runs("loan-risk", 5)).containsExactly(first);
        // once it ended, the operator may start the next one
        assertThat(r[0].retrain(Retraining.Request.manual("loan-risk", null, "key:k1")))
                .isInstanceOf(Retraining.Result.Ran.class);
    }

    @Test
    void start_recordsTheRunAsRunning_andFinishesItInTheBackground() {
        predicted("d1", 1, "annual_income=38000\n", "default");
        List<Runnable> background = new ArrayList<>();
        Retraining r = retraining(trainer);

        var started = r.start(Retraining.Request.manual("loan-risk", null, "key:k1"), background::add);

        RetrainRun run = ((Retraining.Result.Started) started).run();
        assertThat(run.status()).isEqualTo(RetrainRun.Status.RUNNING);
        assertThat(r.find(run.id())).contains(run);
        assertThat(r.start(Retraining.Request.manual("loan-risk", null, "key:k1"), background::add))
                .isInstanceOf(Retraining.Result.AlreadyRunning.class);
        assertThat(background).hasSize(1);
        background.getFirst().run();
        assertThat(r.find(run.id()).orElseThrow().status()).isEqualTo(RetrainRun.Status.SUCCEEDED);
    }

    @Test
    void aRunLeftRunningPastItsTriggersBound_isEndedAsAbandoned_andNoLongerHoldsTheModel() {
        predicted("d1", 1, "annual_income=38000\n", "default");
        Retraining r = retraining(trainer);
        RetrainRun left = ((Retraining.Result.Started)
                        r.start(Retraining.Request.manual("loan-risk", null, "key:k1"), task -> {}))
                .run(); // its node stopped before the run ended
        time.advance(Duration.ofHours(23));
        assertThat(r.retrain(Retraining.Request.manual("loan-risk", null, "key:k1")))
                .isInstanceOf(Retraining.Result.AlreadyRunning.class);

        time.advance(Duration.ofHours(2)); // past the trigger's bound (a day by default)

        assertThat(r.retrain(Retraining.Request.manual("loan-risk", null, "key:k1")))
                .isInstanceOf(Retraining.Result.Ran.class);
        RetrainRun abandoned = r.find(left.id()).orElseThrow();
        assertThat(abandoned.status()).isEqualTo(RetrainRun.Status.FAILED);
        assertThat(abandoned.error()).startsWith("abandoned: no end was recorded within");
    }

    @Test
    void startsOn_onlyTheDeclaredRules_ofAModelThatRetrains() {
        Retraining r = retraining(trainer);

        assertThat(r.startsOn("loan-risk", "drift")).isTrue();
        assertThat(r.startsOn("loan-risk", "latency_p99_ms")).isFalse();
        assertThat(r.startsOn("assistant", "drift")).isFalse();
        assertThat(retraining(null).retrain(Retraining.Request.manual("loan-risk", null, "cli:me")))
                .isEqualTo(new Retraining.Result.NotConfigured("loan-risk"));
    }
}
