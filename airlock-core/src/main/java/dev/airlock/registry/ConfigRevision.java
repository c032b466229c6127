package dev.airlock.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A configuration applied with {@code airlock apply}: what was written (before environment substitution, so secrets
 * given by variable are not in it), who applied it and when.
 *
 * @param id unique, time-ordered id
 * @param at when it was applied
 * @param actor who applied it
 * @param sha256 SHA-256 of the files as written, the same digest a node started from them records
 * @param body the merged configuration as JSON
 */
public record ConfigRevision(String id, Instant at, String actor, String sha256, String body) {
    public ConfigRevision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(body, "body");
    }
}
