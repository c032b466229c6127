package dev.airlock.readiness;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A recorded drill: evidence that a model's fallback (or rollback) works, because it was made to happen.
 *
 * @param id unique, time-ordered id
 * @param kind {@code fallback} or {@code rollback}
 * @param model the model drilled
 * @param at when it ran
 * @param passed whether every call was served the way the drill expects
 * @param details what was observed (calls, served by, failures)
 */
public record Drill(String id, String kind, String model, Instant at, boolean passed, Map<String, String> details) {
    public Drill {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        details = Map.copyOf(details);
    }
}
