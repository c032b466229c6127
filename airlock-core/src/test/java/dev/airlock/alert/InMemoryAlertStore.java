package dev.airlock.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Alerts kept in memory, for core's tests; passes {@link AlertStoreContract}. */
public final class InMemoryAlertStore implements AlertStore {
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final List<AlertChange> changes = new ArrayList<>();
    private final Map<String, Notification> notifications = new LinkedHashMap<>();
    private final List<Silence> silences = new ArrayList<>();
    private @Nullable String holder;
    private Instant leaseEnds = Instant.MIN;

    @Override
    public synchronized void saveAlert(Alert alert) {
        Alert stored = alerts.get(alert.id());
        boolean keep = alert.acknowledgedAt() == null && stored != null && stored.acknowledgedAt() != null;
        alerts.put(alert.id(), keep ? alert.withAcknowledgement(stored) : alert);
    }

    @Override
    public synchronized Optional<Alert> findAlert(String id) {
        return Optional.ofNullable(alerts.get(id));
    }

    @Override
    public synchronized List<Alert> openAlerts() {
        return alerts.values().stream().filter(Alert::open).toList();
    }

    @Override
    public synchronized List<Alert> alerts(Alert.@Nullable State state, int limit) {
        return alerts.values().stream()
                .filter(a -> state == null || a.state() == state)
                .sorted(Comparator.comparing(Alert::updatedAt)
                        .thenComparing(Alert::id)
                        .reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized void recordChange(AlertChange change) {
        changes.add(change);
    }

    @Override
    public synchronized List<AlertChange> changes(String alertId) {
        return changes.stream().filter(c -> c.alertId().equals(alertId)).toList();
    }

    @Override
    public synchronized void saveNotification(Notification n) {
        notifications.put(n.id(), n);
    }

    @Override
    public synchronized List<Notification> dueNotifications(Instant now, int limit) {
        return notifications.values().stream()
                .filter(n -> n.status() == Notification.Status.PENDING
                        && !n.nextAttemptAt().isAfter(now))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<Notification> notifications(String alertId) {
        return notifications.values().stream()
                .filter(n -> n.alertId().equals(alertId))
                .toList();
    }

    @Override
    public synchronized List<Notification> deadLetters(int limit) {
        return notifications.values().stream()
                .filter(n -> n.status() == Notification.Status.DEAD)
                .sorted(Comparator.comparing(Notification::createdAt).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized void saveSilence(Silence silence) {
        silences.add(silence);
    }

    @Override
    public synchronized List<Silence> silences(Instant now) {
        return silences.stream().filter(s -> s.endsAt().isAfter(now)).toList();
    }

    @Override
    public synchronized boolean holdLease(String node, Instant now, Duration ttl) {
        if (holder == null || holder.equals(node) || !leaseEnds.isAfter(now)) {
            holder = node;
            leaseEnds = now.plus(ttl);
            return true;
        }
        return false;
    }
}
