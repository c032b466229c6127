package dev.airlock.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link AlertStore} must do. */
public abstract class AlertStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    protected abstract AlertStore alerts();

    private static Alert alert(String id, Alert.State state, Instant at) {
        return new Alert(
                id,
                "latency_p99_ms",
                "loan-risk",
                "1",
                state,
                240.5,
                100,
                "loan-risk 1: latency",
                at,
                state == Alert.State.FIRING ? at : null,
                null,
                null,
                null,
                null,
                null,
                at);
    }

    @Test
    void saveAlert_roundTripsExactly_andReplacesById() {
        Alert pending = alert("a1", Alert.State.PENDING, T0);
        alerts().saveAlert(pending);
        assertThat(alerts().findAlert("a1")).contains(pending);

        Alert firing = alert("a1", Alert.State.FIRING, T0.plusSeconds(60));
        alerts().saveAlert(firing);

        assertThat(alerts().findAlert("a1")).contains(firing);
        assertThat(alerts().openAlerts()).containsExactly(firing);
    }

    @Test
    void saveAlert_keepsAnAcknowledgementMadeMeanwhile() {
        Alert firing = alert("a1", Alert.State.FIRING, T0);
        alerts().saveAlert(firing);
        alerts().saveAlert(firing.acknowledged("key:ops", T0.plusSeconds(5)));

        alerts().saveAlert(alert("a1", Alert.State.RESOLVED, T0.plusSeconds(9))); // an evaluation's older copy

        assertThat(alerts().findAlert("a1")).hasValueSatisfying(a -> {
            assertThat(a.state()).isEqualTo(Alert.State.RESOLVED);
            assertThat(a.acknowledgedBy()).isEqualTo("key:ops");
            assertThat(a.acknowledgedAt()).isEqualTo(T0.plusSeconds(5));
        });
    }

    @Test
    void alerts_latestFirst_filteredByState() {
        alerts().saveAlert(alert("a1", Alert.State.RESOLVED, T0));
        alerts().saveAlert(alert("a2", Alert.State.FIRING, T0.plusSeconds(1)));

        assertThat(alerts().alerts(null, 10)).extracting(Alert::id).containsExactly("a2", "a1");
        assertThat(alerts().alerts(Alert.State.RESOLVED, 10))
                .extracting(Alert::id)
                .containsExactly("a1");
        assertThat(alerts().openAlerts()).extracting(Alert::id).containsExactly("a2");
    }

    @Test
    void changes_keptInOrder() {
        alerts().recordChange(new AlertChange("a1", null, "pending", 1.5, "airlock", T0));
        alerts().recordChange(new AlertChange("a1", "pending", "firing", 2.5, "airlock", T0.plusSeconds(1)));

        assertThat(alerts().changes("a1")).extracting(AlertChange::to).containsExactly("pending", "firing");
        assertThat(alerts().changes("a1").get(0).from()).isNull();
    }

    @Test
    void notifications_dueWhenPendingAndTimeHasCome_deadOnesListed() {
        var n = new Notification(
                "n1",
                "a1",
                "hooks",
                Notification.Stage.FIRING,
                List.of("a@example.com", "b@example.com"),
                Notification.Status.PENDING,
                0,
                T0.plusSeconds(10),
                null,
                T0,
                null);
        alerts().saveNotification(n);

        assertThat(alerts().dueNotifications(T0, 10)).isEmpty();
        assertThat(alerts().dueNotifications(T0.plusSeconds(10), 10)).containsExactly(n);

        var dead = n.failed("refused", T0.plusSeconds(20), true);
        alerts().saveNotification(dead);
        assertThat(alerts().dueNotifications(T0.plusSeconds(60), 10)).isEmpty();
        assertThat(alerts().deadLetters(10)).containsExactly(dead);
        assertThat(alerts().notifications("a1")).containsExactly(dead);
    }

    @Test
    void silences_listedUntilTheyEnd() {
        var s = new Silence("s1", "loan-risk", null, T0, T0.plusSeconds(3600), "upgrade", "cli:ops", T0);
        alerts().saveSilence(s);

        assertThat(alerts().silences(T0.plusSeconds(10))).containsExactly(s);
        assertThat(alerts().silences(T0.plusSeconds(3600))).isEmpty();
    }

    @Test
    void lease_heldByOneNodeUntilItExpires() {
        Duration ttl = Duration.ofSeconds(30);
        assertThat(alerts().holdLease("a", T0, ttl)).isTrue();
        assertThat(alerts().holdLease("b", T0.plusSeconds(1), ttl)).isFalse();
        assertThat(alerts().holdLease("a", T0.plusSeconds(20), ttl)).isTrue();
        assertThat(alerts().holdLease("b", T0.plusSeconds(49), ttl)).isFalse();
        assertThat(alerts().holdLease("b", T0.plusSeconds(50), ttl)).isTrue();
        assertThat(alerts().holdLease("a", T0.plusSeconds(51), ttl)).isFalse();
    }
}
