package dev.airlock.review;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An answer held for a person to approve, reject or edit before the caller gets it. Kept in the store, so held
 * reviews survive a restart.
 *
 * @param id the review id the caller was given
 * @param decisionId the Decision that was held
 * @param tenant the caller's tenant: only its reviewers see the review
 * @param keyId the key that made the call
 * @param reasons the reason codes of the rules that asked for review
 * @param input the input as sent to the model (for the reviewer)
 * @param output the answer's text (for the reviewer)
 * @param answerBody the response body the caller would have got
 * @param callbackUrl where the outcome is reported, or null
 * @param dueAt when the review must be decided by (its SLA); escalated after
 * @param claimedBy the reviewer working on it, or null
 * @param decidedBy who approved, rejected or edited it, or null while pending
 * @param finalBody what the caller gets: the held body, an edited one, or null when rejected
 */
public record HeldReview(
        String id,
        String decisionId,
        String tenant,
        String keyId,
        String model,
        @Nullable String modelVersion,
        List<String> reasons,
        @Nullable String input,
        @Nullable String output,
        @Nullable String answerBody,
        @Nullable String callbackUrl,
        Instant createdAt,
        Instant dueAt,
        State state,
        @Nullable String claimedBy,
        @Nullable String decidedBy,
        @Nullable String comment,
        @Nullable String finalBody,
        @Nullable Instant decidedAt,
        @Nullable Instant escalatedAt) {

    public HeldReview {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(state, "state");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** Where a review stands. */
    public enum State {
        PENDING,
        APPROVED,
        REJECTED,
        EDITED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public boolean pending() {
        return state == State.PENDING;
    }

    public HeldReview claimed(String reviewer) {
        return new HeldReview(
                id,
                decisionId,
                tenant,
                keyId,
                model,
                modelVersion,
                reasons,
                input,
                output,
                answerBody,
                callbackUrl,
                createdAt,
                dueAt,
                state,
                reviewer,
                decidedBy,
                comment,
                finalBody,
                decidedAt,
                escalatedAt);
    }

    /**
     * The review decided. What the reviewer read (input, held answer) is dropped: it was kept only for the review, and
     * the Decision keeps what its model's retention policy allows. The caller's answer stays until it is read.
     */
    public HeldReview decided(
            State outcome, String reviewer, @Nullable String note, @Nullable String body, Instant at) {
        return new HeldReview(
                id,
                decisionId,
                tenant,
                keyId,
                model,
                modelVersion,
                reasons,
                null,
                null,
                null,
                callbackUrl,
                createdAt,
                dueAt,
                outcome,
                claimedBy,
                reviewer,
                note,
                body,
                at,
                escalatedAt);
    }

    public HeldReview escalated(Instant at) {
        return new HeldReview(
                id,
                decisionId,
                tenant,
                keyId,
                model,
                modelVersion,
                reasons,
                input,
                output,
                answerBody,
                callbackUrl,
                createdAt,
                dueAt,
                state,
                claimedBy,
                decidedBy,
                comment,
                finalBody,
                decidedAt,
                at);
    }
}
