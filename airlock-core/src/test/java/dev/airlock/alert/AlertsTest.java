package dev.airlock.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.audit.AuditEvent;
import dev.airlock.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The evaluator's state machine, escalation, retries and silences, on fake time. */
class AlertsTest {
    private final FakeTime time = new FakeTime();
    private final InMemoryAlertStore store = new InMemoryAlertStore();
    private final AtomicReference<Double> latency = new AtomicReference<>(50.0);
    private final List<Channel.Message> delivered = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> audited = new ArrayList<>();
    private final Route route = new Route(
            "credit-risk-team",
            List.of("oncall@example.com"),
            List.of("head@example.com"),
            "https://wiki.example/runbook");

    private final Channel channel = new Channel() {
        @Override
        public String name() {
            return "hooks";
        }

        @Override
        public void deliver(Message message) throws DeliveryFailed {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new DeliveryFailed("receiver answered 503");
            }
            delivered.add(message);
        }
    };

    private final AdminEvents audit = (action, tenant, actor, target, details) -> {
        audited.add(action.id());
        return new AuditEvent("e", Instant.EPOCH, tenant, actor, action.id(), target, details);
    };

    private Alerts alerts(String node, Alerts.Settings settings) {
        SignalSource source = now -> List.of(new Signal("latency_p99_ms", "loan-risk", "1", latency.get(), now));
        return new Alerts(
                store,
                Rule.fromThresholds("loan-risk", Map.of("latency_p99_ms", 100.0), Duration.ofMinutes(2)),
                List.of(source),
                List.of(channel),
                m -> route,
                audit,
                time.time(),
                settings,
                node,
                List.of());
    }

    private final Alerts.Settings settings = new Alerts.Settings(
            Duration.ofMinutes(10), 3, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofSeconds(30));

    @Test
    void breach_isPendingForItsDuration_thenFiresOnce_escalates_andResolves() {
        Alerts alerts = alerts("a", settings);
        latency.set(240.0);

        alerts.tick();
        assertThat(store.openAlerts()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.PENDING);
        time.advance(Duration.ofMinutes(1));
        alerts.tick();
        assertThat(delivered).isEmpty();

        time.advance(Duration.ofMinutes(1));
        alerts.tick();
        alerts.tick();
        assertThat(delivered).singleElement().satisfies(m -> {
            assertThat(m.stage()).isEqualTo(Notification.Stage.FIRING);
            assertThat(m.recipients()).containsExactly("oncall@example.com");
            assertThat(m.title()).isEqualTo("[FIRING] loan-risk 1: latency_p99_ms 240 > 100");
        });

        time.advance(Duration.ofMinutes(10));
        alerts.tick();
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(1).stage()).isEqualTo(Notification.Stage.ESCALATION);
        assertThat(delivered.get(1).recipients()).containsExactly("head@example.com");

        latency.set(60.0);
        time.advance(Duration.ofSeconds(15));
        alerts.tick();
        assertThat(delivered.get(2).stage()).isEqualTo(Notification.Stage.RESOLVED);
        assertThat(delivered.get(2).recipients()).containsExactly("oncall@example.com", "head@example.com");
        assertThat(store.openAlerts()).isEmpty();
        assertThat(audited)
                .containsSubsequence(
                        "alert.pending", "alert.firing", "alert.notified", "alert.escalated", "alert.resolved");
    }

    @Test
    void acknowledged_isNotEscalated() {
        Alerts alerts = alerts("a", settings);
        latency.set(240.0);
        alerts.tick();
        time.advance(Duration.ofMinutes(2));
        alerts.tick();
        String id = store.openAlerts().get(0).id();

        assertThat(alerts.acknowledge(id, "key:ops")).isInstanceOf(Alerts.Acknowledgement.Acknowledged.class);
        time.advance(Duration.ofMinutes(30));
        alerts.tick();

        assertThat(delivered).extracting(Channel.Message::stage).containsExactly(Notification.Stage.FIRING);
        assertThat(alerts.acknowledge("nope", "key:ops")).isInstanceOf(Alerts.Acknowledgement.NotFound.class);
        assertThat(audited).contains(AdminAction.ALERT_ACKNOWLEDGED.id());
    }

    @Test
    void pendingThatClears_notifiesNobody() {
        Alerts alerts = alerts("a", settings);
        latency.set(240.0);
        alerts.tick();
        latency.set(60.0);
        time.advance(Duration.ofMinutes(3));
        alerts.tick();

        assertThat(delivered).isEmpty();
        assertThat(store.alerts(null, 10))
                .singleElement()
                .extracting(Alert::state)
                .isEqualTo(Alert.State.INACTIVE);
    }

    @Test
    void failedDelivery_retriedWithBackoff_thenDeadLettered() {
        Alerts alerts = alerts("a", settings);
        failuresLeft.set(100);
        latency.set(240.0);
        alerts.tick();
        time.advance(Duration.ofMinutes(2));
        alerts.tick(); // attempt 1 fails: next in 10s
        assertThat(store.deadLetters(10)).isEmpty();
        time.advance(Duration.ofSeconds(9));
        alerts.tick();
        assertThat(store.notifications(store.openAlerts().get(0).id()).get(0).attempts())
                .isEqualTo(1);
        time.advance(Duration.ofSeconds(1));
        alerts.tick(); // attempt 2 fails: next in 20s
        time.advance(Duration.ofSeconds(20));
        alerts.tick(); // attempt 3 fails: dead

        assertThat(store.deadLetters(10)).singleElement().satisfies(n -> {
            assertThat(n.attempts()).isEqualTo(3);
            assertThat(n.lastError()).isEqualTo("receiver answered 503");
        });
        assertThat(audited).contains("alert.dead_lettered");
        assertThat(alerts.backoff(5)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void readings_writtenAsPeopleWriteThem() {
        assertThat(Rule.number(240)).isEqualTo("240");
        assertThat(Rule.number(0.001)).isEqualTo("0.001");
        assertThat(Rule.number(87.836)).isEqualTo("87.84");
        assertThat(Rule.number(0.2)).isEqualTo("0.2");
    }

    @Test
    void silence_suppressesNotifications_whileTheAlertStillFires() {
        Alerts alerts = alerts("a", settings);
        alerts.silence("loan-risk", null, time.clock().instant().plus(Duration.ofHours(1)), "upgrade", "cli:ops");
        latency.set(240.0);
        alerts.tick();
        time.advance(Duration.ofMinutes(5));
        alerts.tick();

        assertThat(store.openAlerts()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.FIRING);
        assertThat(delivered).isEmpty();

        time.advance(Duration.ofHours(1));
        alerts.tick();
        assertThat(delivered).extracting(Channel.Message::stage).containsExactly(Notification.Stage.FIRING);
    }

    @Test
    void failingSource_doesNotResolveWhatItCannotRead() {
        AtomicInteger reads = new AtomicInteger();
        SignalSource flaky = now -> {
            if (reads.incrementAndGet() == 3) {
                throw new IllegalStateException("store unavailable");
            }
            return List.of(new Signal("latency_p99_ms", "loan-risk", "1", 240.0, now));
        };
        Alerts alerts = new Alerts(
                store,
                Rule.fromThresholds("loan-risk", Map.of("latency_p99_ms", 100.0), Duration.ZERO),
                List.of(flaky),
                List.of(channel),
                m -> route,
                audit,
                time.time(),
                settings,
                "a",
                List.of());
        alerts.tick();
        alerts.tick();
        alerts.tick();

        assertThat(store.openAlerts()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.FIRING);
        assertThat(delivered).hasSize(1);
    }

    @Test
    void twoNodes_oneLease_notifyOnce() {
        Alerts a = alerts("a", settings);
        Alerts b = alerts("b", settings);
        latency.set(240.0);
        for (int i = 0; i < 5; i++) {
            a.tick();
            b.tick();
            time.advance(Duration.ofMinutes(1));
        }
        assertThat(delivered).hasSize(1);
    }
}
