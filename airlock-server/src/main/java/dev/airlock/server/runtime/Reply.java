package dev.airlock.server.runtime;

import dev.airlock.decision.Stop;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How an in-process call ended: one of four things, each with what the application needs to act on it.
 *
 * <pre>{@code
 * switch (client.predict("loan-risk", features)) {
 *     case Reply.Answered<Prediction> a -> decide(a.answer(), a.decisionId());
 *     case Reply.Held<Prediction> h -> waitForReviewer(h.reviewId());
 *     case Reply.Refused<Prediction> r -> fix(r.reason());
 *     case Reply.Failed<Prediction> f -> retryLater(f.reason());
 * }
 * }</pre>
 *
 * @param <T> the answer's type
 */
public sealed interface Reply<T> {

    /**
     * The model answered and every stage let the answer through; its Decision is recorded.
     *
     * @param decisionId the recorded Decision's id ({@code airlock audit proof ID}, {@code GET /v1/decisions/{id}})
     * @param modelVersion the version that answered (production, canary or pinned)
     */
    record Answered<T>(String decisionId, @Nullable String modelVersion, T answer) implements Reply<T> {}

    /**
     * A review rule holds the answer for a person; its Decision is recorded, the answer waits in the review queue.
     *
     * @param reviewId the held review, to follow with the review desk or {@code GET /v1/reviews/{id}/result}
     * @param reasons why it was held
     */
    record Held<T>(String decisionId, String reviewId, List<String> reasons) implements Reply<T> {
        public Held {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * A stage said no before or instead of answering: the key, the model, the input, a guard, a budget or a rate limit.
     *
     * @param decisionId the Decision's id when it was recorded; empty for a key that did not authenticate (counted,
     *     not stored) and for input no store can keep
     * @param reason what stopped it, in terms to act on: the stage, a stable code, a message naming the field
     */
    record Refused<T>(Optional<String> decisionId, Stop reason) implements Reply<T> {}

    /**
     * The call was allowed but did not complete: the upstream failed or timed out, a stream broke, or the Decision
     * could not be recorded (no answer leaves without its record).
     *
     * @param decisionId the Decision's id when it was recorded
     */
    record Failed<T>(Optional<String> decisionId, Stop reason) implements Reply<T> {}
}
