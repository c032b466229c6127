package dev.airlock.response;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response kept for its tenant.
 *
 * @param id the response's id as the caller knows it ({@code resp_...})
 * @param tenant whose it is; no other tenant can read or delete it
 * @param decisionId the Decision that answered it
 * @param model the model the caller asked for
 * @param createdAt when it was answered
 * @param expiresAt when the model's retention lets it go (it reads as absent from then on, and the purge removes it);
 *     null keeps it until deleted or erased
 * @param subject the data subject the call named, or null; written only (the store keeps a reference, and encrypts
 *     {@code body} and {@code conversation} under the subject's key), so a response read back carries null
 * @param body the response object as the caller got it (JSON)
 * @param conversation the conversation up to and including this answer, as chat messages (a JSON array), without the
 *     call's instructions: what a call continuing it starts from
 */
public record StoredResponse(
        String id,
        String tenant,
        String decisionId,
        String model,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable String subject,
        String body,
        String conversation) {
    public StoredResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(conversation, "conversation");
    }

    /** Whether it still reads at {@code now}. */
    public boolean liveAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    /** The same response as a store reads it back: the subject is not kept. */
    public StoredResponse withoutSubject() {
        return new StoredResponse(id, tenant, decisionId, model, createdAt, expiresAt, null, body, conversation);
    }
}
