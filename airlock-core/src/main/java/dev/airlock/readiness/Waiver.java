package dev.airlock.readiness;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An admin's acceptance of a failed readiness check of one version, with the justification the audit log keeps, until
 * it expires. A waiver given for one version never passes another: the evidence it stands in for was missing there.
 *
 * @param version the version it was given for; null only for waivers recorded before waivers were bound to a version,
 *     which count on the model's scorecard and on no version's
 * @param expiresAt from this instant it no longer counts
 */
public record Waiver(
        String model,
        @Nullable String version,
        String check,
        String justification,
        String actor,
        Instant at,
        Instant expiresAt) {
    /** How long a waiver counts when no expiry is given. */
    public static final Duration DEFAULT_TERM = Duration.ofDays(30);

    /** The longest a waiver may count: a missing check is accepted for a while, not for good. */
    public static final Duration MAX_TERM = Duration.ofDays(365);

    /** Whether it counts on the scorecard of {@code scored} (null: the model's) at {@code now}. */
    public boolean covers(@Nullable String scored, Instant now) {
        boolean sameVersion = scored == null || scored.equals(version);
        return sameVersion && now.isBefore(expiresAt);
    }
}
