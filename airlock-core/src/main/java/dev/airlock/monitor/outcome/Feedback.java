package dev.airlock.monitor.outcome;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a person said about one Decision's answer (chat answers included): at least one of the fields is set.
 *
 * @param id unique, time-ordered id
 * @param decisionId the Decision it is about
 * @param tenant the Decision's tenant
 * @param at when it was given
 * @param actor who gave it: {@code key:<id>} or {@code cli:<os user>}
 * @param score thumbs: -1 (bad) or 1 (good), or null
 * @param rating a rating from 1 (worst) to 5 (best), or null
 * @param flag a short code for what was wrong ({@code wrong}, {@code harmful}, … lower case, digits, underscores), or
 *     null
 * @param comment free text, at most {@value Outcomes#MAX_COMMENT} characters, or null
 */
public record Feedback(
        String id,
        String decisionId,
        String tenant,
        Instant at,
        String actor,
        @Nullable Integer score,
        @Nullable Integer rating,
        @Nullable String flag,
        @Nullable String comment) {
    public Feedback {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
    }
}
