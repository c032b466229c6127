package dev.airlock.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An administrative action, recorded in the same chain as Decisions: a key created or revoked, a configuration
 * applied, a subject erased, content purged, a signing key rotated.
 *
 * @param id unique, time-ordered id
 * @param at when it happened
 * @param tenant the tenant it concerns, or null for the whole installation
 * @param actor who did it: {@code key:<id>} for an API key, {@code cli:<os user>} for the command line,
 *     {@code airlock} for the server itself
 * @param action what was done, e.g. {@code key.created}
 * @param target what it was done to, e.g. the key id
 * @param details further facts, sorted by name
 */
public record AuditEvent(
        String id,
        Instant at,
        @Nullable String tenant,
        String actor,
        String action,
        @Nullable String target,
        Map<String, String> details)
        implements AuditRecord {
    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        details = Collections.unmodifiableMap(new TreeMap<>(details == null ? Map.of() : details));
    }
}
