package dev.airlock.decision;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a Decision keeps of its input and output, as its model's retention policy allows. The audit chain commits to
 * a digest of the stored form, not to the content itself, so a purge or an erasure removes content without breaking
 * the chain.
 *
 * @param state whether the content is there, and if not, why
 * @param input the input as text (the conversation, the features), or null when not readable
 * @param output the output as text, or null
 * @param subject the data subject the request named (GDPR), or null; content of a named subject is stored encrypted
 *     under that subject's key
 * @param keepUntil when a scheduled purge removes the content; null keeps it until erased
 */
public record Content(
        State state,
        @Nullable String input,
        @Nullable String output,
        @Nullable String subject,
        @Nullable Instant keepUntil) {

    /** The state of a Decision's content. */
    public enum State {
        /** Stored and readable. */
        KEPT,
        /** Only digests are kept (the model's retention policy); carries the subject so the Decision is findable. */
        NOT_KEPT,
        /** Removed by the retention purge after its time ran out. */
        PURGED,
        /** Its subject's key was destroyed (crypto-shredding); the ciphertext can no longer be read. */
        ERASED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Content kept(
            @Nullable String input, @Nullable String output, @Nullable String subject, @Nullable Instant keepUntil) {
        return new Content(State.KEPT, input, output, subject, keepUntil);
    }
}
