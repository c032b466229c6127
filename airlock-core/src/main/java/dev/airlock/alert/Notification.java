package dev.airlock.alert;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One message for one channel about one alert, queued in the store and delivered by the evaluating node, retried with
 * exponential backoff; after the last attempt it stays as a dead letter ({@link Status#DEAD}), listable.
 *
 * @param recipients the people it is for (e-mail addresses); a webhook carries them in its body
 * @param lastError why the latest attempt failed, in the channel's words (never a URL or password)
 */
public record Notification(
        String id,
        String alertId,
        String channel,
        Stage stage,
        List<String> recipients,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        @Nullable String lastError,
        Instant createdAt,
        @Nullable Instant sentAt) {

    public Notification {
        recipients = List.copyOf(recipients);
    }

    /** What the message says: the alert fired (to the owner), nobody acknowledged it (escalation), it cleared. */
    public enum Stage {
        FIRING,
        ESCALATION,
        RESOLVED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        PENDING,
        SENT,
        DEAD;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Notification sent(Instant now) {
        return new Notification(
                id,
                alertId,
                channel,
                stage,
                recipients,
                Status.SENT,
                attempts + 1,
                nextAttemptAt,
                lastError,
                createdAt,
                now);
    }

    Notification failed(String error, Instant next, boolean dead) {
        return new Notification(
                id,
                alertId,
                channel,
                stage,
                recipients,
                dead ? Status.DEAD : Status.PENDING,
                attempts + 1,
                next,
                error,
                createdAt,
                null);
    }
}
