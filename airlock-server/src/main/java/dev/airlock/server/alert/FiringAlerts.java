package dev.airlock.server.alert;

import dev.airlock.alert.Alert;
import dev.airlock.alert.AlertChange;
import dev.airlock.alert.AlertStore;
import dev.airlock.alert.Notification;
import dev.airlock.alert.Silence;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The alert store as the evaluator uses it, counting firing alerts by model and rule for the gauge {@code
 * airlock_alerts_firing} as they change: the count is read from the store when this node takes the evaluator lease
 * and kept up to date from each alert the evaluator saves, so a scrape reads memory only. A node without the lease
 * reports none (the one evaluating reports them all), so summing across nodes counts each alert once.
 */
final class FiringAlerts implements AlertStore {
    private final AlertStore store;
    private final Map<String, Alert> firing = new ConcurrentHashMap<>();
    private final MultiGauge gauge;
    private volatile boolean leased;

    FiringAlerts(AlertStore store, MeterRegistry meters) {
        this.store = store;
        this.gauge = MultiGauge.builder("airlock.alerts.firing")
                .description("Alerts firing, by model (or installation subject) and rule; reported by the node"
                        + " that evaluates alerts")
                .register(meters);
    }

    @Override
    public boolean holdLease(String node, Instant now, Duration ttl) {
        boolean held = store.holdLease(node, now, ttl);
        leased = held;
        firing.clear();
        if (held) {
            store.openAlerts().forEach(this::track);
        }
        publish();
        return held;
    }

    @Override
    public void saveAlert(Alert alert) {
        store.saveAlert(alert);
        if (leased) {
            track(alert);
            publish();
        }
    }

    private void track(Alert a) {
        if (a.state() == Alert.State.FIRING) {
            firing.put(a.id(), a);
        } else {
            firing.remove(a.id());
        }
    }

    private synchronized void publish() {
        Map<Tags, Integer> counts = new HashMap<>();
        firing.values().forEach(a -> counts.merge(Tags.of("model", a.model(), "rule", a.rule()), 1, Integer::sum));
        gauge.register(
                counts.entrySet().stream()
                        .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                        .toList(),
                true);
    }

    @Override
    public Optional<Alert> findAlert(String id) {
        return store.findAlert(id);
    }

    @Override
    public List<Alert> openAlerts() {
        return store.openAlerts();
    }

    @Override
    public List<Alert> alerts(Alert.@Nullable State state, int limit) {
        return store.alerts(state, limit);
    }

    @Override
    public void recordChange(AlertChange change) {
        store.recordChange(change);
    }

    @Override
    public List<AlertChange> changes(String alertId) {
        return store.changes(alertId);
    }

    @Override
    public void saveNotification(Notification notification) {
        store.saveNotification(notification);
    }

    @Override
    public List<Notification> dueNotifications(Instant now, int limit) {
        return store.dueNotifications(now, limit);
    }

    @Override
    public List<Notification> notifications(String alertId) {
        return store.notifications(alertId);
    }

    @Override
    public List<Notification> deadLetters(int limit) {
        return store.deadLetters(limit);
    }

    @Override
    public void saveSilence(Silence silence) {
        store.saveSilence(silence);
    }

    @Override
    public List<Silence> silences(Instant now) {
        return store.silences(now);
    }
}
