package dev.airlock.deploy;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change to a model's deployment, kept as history (rollback reads it) and appended to the audit log.
 *
 * @param id unique, time-ordered id
 * @param model the model
 * @param at when
 * @param actor who: {@code key:<id>}, {@code cli:<user>}, or {@code airlock} for an automatic rollback
 * @param action what, e.g. {@code promoted}, {@code rolled_back}, {@code canary.started}
 * @param from the version before (production, canary, shadow or the alias's), or null
 * @param to the version after, or null
 * @param reason why, in words
 */
public record DeploymentChange(
        String id,
        String model,
        Instant at,
        String actor,
        String action,
        @Nullable String from,
        @Nullable String to,
        String reason) {
    public DeploymentChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        reason = reason == null ? "" : reason;
    }
}
