package dev.airlock.alert;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Keeps matching alerts from notifying anyone between two instants: they are still evaluated and recorded. Made over
 * the API or CLI (stored, audited) or declared as a maintenance window in the configuration.
 *
 * @param model the model (or installation subject) it matches; null for any
 * @param rule the rule it matches; null for any
 */
public record Silence(
        String id,
        @Nullable String model,
        @Nullable String rule,
        Instant startsAt,
        Instant endsAt,
        String reason,
        String createdBy,
        Instant createdAt) {

    public Silence {
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a silence must end after it starts: " + startsAt + " to " + endsAt);
        }
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a silence needs a reason");
        }
    }

    /** Whether it silences {@code alert} at {@code now}. */
    public boolean silences(Alert alert, Instant now) {
        return !now.isBefore(startsAt)
                && now.isBefore(endsAt)
                && (model == null || model.equals(alert.model()))
                && (rule == null || rule.equals(alert.rule()));
    }
}
