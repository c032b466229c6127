package dev.airlock.alert;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One rule breached by one model version (or installation subject), from the first breaching reading until it clears.
 * Its {@link State} follows Prometheus: {@code pending} while the breach is younger than the rule's for-duration,
 * {@code firing} after, {@code resolved} once it clears; a pending breach that clears is {@code inactive} and nobody
 * was told.
 *
 * @param value the latest reading
 * @param notifiedAt when the owner's notifications were queued (null: not yet, e.g. silenced)
 */
public record Alert(
        String id,
        String rule,
        String model,
        String version,
        State state,
        double value,
        double threshold,
        String summary,
        Instant activeSince,
        @Nullable Instant firedAt,
        @Nullable Instant resolvedAt,
        @Nullable Instant notifiedAt,
        @Nullable Instant escalatedAt,
        @Nullable Instant acknowledgedAt,
        @Nullable String acknowledgedBy,
        Instant updatedAt) {

    public enum State {
        PENDING,
        FIRING,
        RESOLVED,
        INACTIVE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state named {@code id}; refuses others naming the accepted ones. */
        public static State parse(String id) {
            for (State s : values()) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("'" + id + "' is not one of pending, firing, resolved, inactive");
        }
    }

    /** Whether it is still being evaluated (pending or firing). */
    public boolean open() {
        return state == State.PENDING || state == State.FIRING;
    }

    Alert with(State s, double v, String text, Instant now) {
        return new Alert(
                id,
                rule,
                model,
                version,
                s,
                v,
                threshold,
                text,
                activeSince,
                s == State.FIRING && firedAt == null ? now : firedAt,
                s == State.RESOLVED || s == State.INACTIVE ? now : resolvedAt,
                notifiedAt,
                escalatedAt,
                acknowledgedAt,
                acknowledgedBy,
                now);
    }

    Alert notified(Instant now) {
        return new Alert(
                id,
                rule,
                model,
                version,
                state,
                value,
                threshold,
                summary,
                activeSince,
                firedAt,
                resolvedAt,
                now,
                escalatedAt,
                acknowledgedAt,
                acknowledgedBy,
                now);
    }

    Alert escalated(Instant now) {
        return new Alert(
                id,
                rule,
                model,
                version,
                state,
                value,
                threshold,
                summary,
                activeSince,
                firedAt,
                resolvedAt,
                notifiedAt,
                now,
                acknowledgedAt,
                acknowledgedBy,
                now);
    }

    /**
     * This alert with {@code stored}'s acknowledgement: a store keeps an acknowledgement made while an evaluation was
     * working on an older copy.
     */
    public Alert withAcknowledgement(Alert stored) {
        return new Alert(
                id,
                rule,
                model,
                version,
                state,
                value,
                threshold,
                summary,
                activeSince,
                firedAt,
                resolvedAt,
                notifiedAt,
                escalatedAt,
                stored.acknowledgedAt(),
                stored.acknowledgedBy(),
                updatedAt);
    }

    Alert acknowledged(String by, Instant now) {
        return new Alert(
                id,
                rule,
                model,
                version,
                state,
                value,
                threshold,
                summary,
                activeSince,
                firedAt,
                resolvedAt,
                notifiedAt,
                escalatedAt,
                now,
                by,
                now);
    }
}
