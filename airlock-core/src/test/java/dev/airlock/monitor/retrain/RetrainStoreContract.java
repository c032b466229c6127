package dev.airlock.monitor.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RetrainStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryRetrainStore} all
 * pass it.
 */
public abstract class RetrainStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    /** An empty store that only the calling test uses. */
    protected abstract RetrainStore retrainStore();

    /** A run of {@code model} started {@code seconds} after T0, still running. */
    public static RetrainRun running(String id, String model, long seconds) {
        Instant at = T0.plusSeconds(seconds);
        return new RetrainRun(
                id,
                model,
                "1.0.0",
                "drift",
                "alert-1",
                0.3141592653589793,
                0.2,
                at.minusSeconds(86_400),
                at,
                "command",
                "airlock",
                RetrainRun.Status.RUNNING,
                at,
                null,
                null,
                "",
                0,
                null,
                null);
    }

    @Test
    void aRunningRun_roundTripsExactly() {
        RetrainRun run = running("r1", "loan-risk", 0);

        assertThat(retrainStore().begin(run, null)).isTrue();

        assertThat(retrainStore().findRun("r1")).contains(run);
        assertThat(retrainStore().findRun("other")).isEmpty();
    }

    @Test
    void aFinishedRun_withItsCandidate_roundTripsExactly() {
        RetrainRun run = running("r1", "loan-risk", 0);
        retrainStore().begin(run, null);
        RetrainRun done = run.withExtract(1234)
                .succeeded(
                        T0.plusSeconds(42),
                        0,
                        "trained on 1234 rows\n{\"candidate_version\":\"1.2.0\"}",
                        new Candidate(
                                "1.2.0",
                                "model/loan-risk-1.2.0.onnx",
                                "ab".repeat(32),
                                Map.of("holdout_auc", 0.7412345678901234),
                                "/tmp/candidates/loan-risk-1.2.0.yaml"));

        retrainStore().finish(done);

        assertThat(retrainStore().findRun("r1")).contains(done);
    }

    @Test
    void aFailedRun_keepsItsError_andStatus() {
        RetrainRun run = running("r1", "loan-risk", 0);
        retrainStore().begin(run, null);
        RetrainRun failed = run.failed(T0.plusSeconds(3), 503, "Service Unavailable", "webhook answered HTTP 503");

        retrainStore().finish(failed);

        assertThat(retrainStore().findRun("r1")).contains(failed);
    }

    @Test
    void finishingAnUnknownRun_fails() {
        assertThatThrownBy(() -> retrainStore().finish(running("nope", "loan-risk", 0)))
                .isInstanceOf(NoSuchElementException.class);
    }

    /** {@code run}, begun and ended (failed) a second after it started. */
    private RetrainRun ran(RetrainRun run) {
        assertThat(retrainStore().begin(run, null)).isTrue();
        RetrainRun done = run.failed(run.startedAt().plusSeconds(1), 1, "", "failed");
        retrainStore().finish(done);
        return done;
    }

    @Test
    void begin_refusesWhileTheModelIsCoolingDown_butNotForAnotherModel() {
        ran(running("r1", "loan-risk", 0));

        assertThat(retrainStore().begin(running("r2", "loan-risk", 10), T0)).isFalse();
        assertThat(retrainStore().begin(running("r3", "fraud", 10), T0)).isTrue();
        assertThat(retrainStore().begin(running("r4", "loan-risk", 10), T0.plusSeconds(1)))
                .isTrue();
        assertThat(retrainStore().findRun("r2")).isEmpty();
    }

    @Test
    void begin_withoutCooldown_recordsOnceTheModelsLastRunEnded() {
        ran(running("r1", "loan-risk", 0));

        assertThat(retrainStore().begin(running("r2", "loan-risk", 1), null)).isTrue();
    }

    @Test
    void begin_refusesASecondRunningRunOfAModel_evenWithoutCooldown_butNotOfAnotherModel() {
        assertThat(retrainStore().begin(running("r1", "loan-risk", 0), null)).isTrue();

        assertThat(retrainStore().begin(running("r2", "loan-risk", 5), null)).isFalse();
        assertThat(retrainStore().begin(running("r3", "fraud", 5), null)).isTrue();
        assertThat(retrainStore().findRun("r2")).isEmpty();

        retrainStore().finish(running("r1", "loan-risk", 0).failed(T0.plusSeconds(6), 1, "", "failed"));
        assertThat(retrainStore().begin(running("r2", "loan-risk", 7), null)).isTrue();
    }

    @Test
    void runs_areAModelsOwn_newestFirst_limited() {
        ran(running("r1", "loan-risk", 0));
        ran(running("r2", "loan-risk", 20));
        ran(running("r3", "loan-risk", 10));
        ran(running("r4", "fraud", 30));

        assertThat(retrainStore().runs("loan-risk", 10))
                .extracting(RetrainRun::id)
                .containsExactly("r2", "r3", "r1");
        assertThat(retrainStore().runs("loan-risk", 2))
                .extracting(RetrainRun::id)
                .containsExactly("r2", "r3");
        assertThat(retrainStore().runs("nothing", 10)).isEmpty();
    }
}
