package dev.airlock.monitor.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OutcomeStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryOutcomeStore} all
 * pass it.
 */
public abstract class OutcomeStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    /** An empty store that only the calling test uses. */
    protected abstract OutcomeStore outcomes();

    /** A prediction of loan-risk 1.0.0 for acme, made {@code seconds} after T0. */
    public static KeptPrediction prediction(String id, long seconds, String predicted, double probability) {
        return new KeptPrediction(
                id,
                "acme",
                "loan-risk",
                "1.0.0",
                T0.plusSeconds(seconds),
                predicted,
                List.of("default", "repay"),
                "default",
                probability,
                Map.of("region", "north"),
                null,
                null);
    }

    @Test
    void aKeptPrediction_roundTripsExactly_unlabelled() {
        var p = prediction("d1", 0, "default", 0.7312345678901234);
        outcomes().keep(p);

        assertThat(outcomes().findPrediction("d1")).contains(p);
        assertThat(outcomes().findPrediction("other")).isEmpty();
    }

    @Test
    void keepingTwiceForOneDecision_fails() {
        outcomes().keep(prediction("d1", 0, "default", 0.7));

        assertThatThrownBy(() -> outcomes().keep(prediction("d1", 1, "repay", 0.2)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void setLabel_returnsThePreviousLabel_andReplacesIt() {
        outcomes().keep(prediction("d1", 0, "default", 0.7));

        assertThat(outcomes().setLabel("d1", "repay", T0.plusSeconds(60))).isNull();
        assertThat(outcomes().setLabel("d1", "default", T0.plusSeconds(120))).isEqualTo("repay");

        var labelled = outcomes().findPrediction("d1").orElseThrow();
        assertThat(labelled.label()).isEqualTo("default");
        assertThat(labelled.labelledAt()).isEqualTo(T0.plusSeconds(120));
        assertThatThrownBy(() -> outcomes().setLabel("nope", "repay", T0)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void forEachPrediction_filtersByModelVersionAndWindow_oldestFirst() {
        outcomes().keep(prediction("d2", 20, "repay", 0.1));
        outcomes().keep(prediction("d1", 10, "default", 0.7));
        outcomes().keep(prediction("d3", 30, "repay", 0.2));
        var other = prediction("d4", 15, "repay", 0.3);
        outcomes()
                .keep(new KeptPrediction(
                        "d4",
                        "globex",
                        "loan-risk",
                        "2.0.0",
                        other.at(),
                        "repay",
                        other.classes(),
                        "default",
                        0.3,
                        Map.of(),
                        null,
                        null));

        List<String> all = new ArrayList<>();
        outcomes().forEachPrediction("loan-risk", null, T0, T0.plusSeconds(30), p -> all.add(p.decisionId()));
        List<String> v1 = new ArrayList<>();
        outcomes().forEachPrediction("loan-risk", "1.0.0", T0, T0.plusSeconds(31), p -> v1.add(p.decisionId()));
        List<String> none = new ArrayList<>();
        outcomes().forEachPrediction("fraud", null, T0, T0.plusSeconds(31), p -> none.add(p.decisionId()));

        assertThat(all).as("the window's end is exclusive").containsExactly("d1", "d4", "d2");
        assertThat(v1).containsExactly("d1", "d2", "d3");
        assertThat(none).isEmpty();
    }

    @Test
    void feedback_roundTrips_perDecision_oldestFirst() {
        var first = new Feedback("f1", "d1", "acme", T0, "key:app1", -1, null, "wrong", "should have declined");
        var second = new Feedback("f2", "d1", "acme", T0.plusSeconds(1), "key:app1", null, 4, null, null);
        var other = new Feedback("f3", "d2", "acme", T0, "cli:ops", 1, null, null, null);
        outcomes().recordFeedback(first);
        outcomes().recordFeedback(second);
        outcomes().recordFeedback(other);

        assertThat(outcomes().feedback("d1")).containsExactly(first, second);
        assertThat(outcomes().feedback("none")).isEmpty();
    }
}
