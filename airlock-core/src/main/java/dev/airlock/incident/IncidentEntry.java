package dev.airlock.incident;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of an incident's timeline: the incident opened, an alert joined it, fired or resolved, a notification went
 * out, a deployment changed, somebody acknowledged, assigned, noted or resolved it, an automatic rollback ran.
 *
 * @param kind what happened ({@code opened}, {@code alert.joined}, {@code alert.firing}, {@code notification.sent},
 *     {@code deployment.rolled_back}, {@code note}, {@code acknowledged}, {@code assigned}, {@code resolved}, {@code
 *     rollback}, …)
 * @param actor who: {@code key:<id>}, {@code cli:<user>}, or {@code airlock}
 * @param text what a person reads
 * @param ref what it is about: an alert, notification or deployment change id, or null
 */
public record IncidentEntry(
        String incidentId,
        Instant at,
        String kind,
        String actor,
        String text,
        @Nullable String ref) {
    public IncidentEntry {
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(text, "text");
    }
}
