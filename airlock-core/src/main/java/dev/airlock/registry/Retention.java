package dev.airlock.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How long a model's Decisions keep their input and output, and in what form. The record itself (who, which model,
 * outcome, digests, explanation) is kept for the life of the audit log; only content is purged.
 *
 * @param content what is stored of input and output
 * @param keepFor how long content is kept before the scheduled purge removes it; null keeps it until erased
 */
public record Retention(Form content, @Nullable Duration keepFor) {
    /** Only SHA-256 digests of input and output: nothing to purge or erase. */
    public static final Retention DIGESTS_ONLY = new Retention(Form.HASH, null);

    public Retention {
        Objects.requireNonNull(content, "content");
        if (keepFor != null && (keepFor.isNegative() || keepFor.isZero())) {
            throw new IllegalArgumentException("keepFor must be positive: " + keepFor);
        }
    }

    /** The forms content can be kept in. */
    public enum Form {
        /** Digests only. */
        HASH,
        /** The full input and output text (encrypted under the data subject's key when the request names one). */
        FULL,
        /** The text with the personal data and secrets Airlock detects replaced by their type, e.g. [EMAIL]. */
        REDACTED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
