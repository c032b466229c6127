package dev.airlock.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where alerts, their history, notifications and silences are kept, and the lease that lets one node evaluate for
 * all nodes sharing the store.
 */
public interface AlertStore {
    /** Inserts the alert, or replaces the one with its id. */
    void saveAlert(Alert alert);

    Optional<Alert> findAlert(String id);

    /** Pending and firing alerts. */
    List<Alert> openAlerts();

    /** The latest alerts first, of one state or of any (null). */
    List<Alert> alerts(Alert.@Nullable State state, int limit);

    void recordChange(AlertChange change);

    /** An alert's history, oldest first. */
    List<AlertChange> changes(String alertId);

    /** Inserts the notification, or replaces the one with its id. */
    void saveNotification(Notification notification);

    /** Pending notifications whose next attempt is due at {@code now}, oldest first. */
    List<Notification> dueNotifications(Instant now, int limit);

    List<Notification> notifications(String alertId);

    /** Notifications that were given up on, latest first. */
    List<Notification> deadLetters(int limit);

    void saveSilence(Silence silence);

    /** Silences that have not ended at {@code now}. */
    List<Silence> silences(Instant now);

    /**
     * Takes or renews the evaluator lease for {@code node} until {@code now + ttl}; true if {@code node} holds it. Only
     * one node holds it at a time; a lease not renewed in time passes to the next node that asks.
     */
    boolean holdLease(String node, Instant now, Duration ttl);
}
