package dev.airlock.review;

import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.ContentText;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.Review;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.registry.ModelSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The review stage: when a policy asked for review, the answer is kept in the store as a {@link HeldReview} (due
 * within the SLA) and the caller is told where to find the outcome. Reviewers decide through the review API.
 */
final class ReviewQueue implements Review {
    private final ReviewStore store;
    private final Clock clock;
    private final Duration sla;
    private final BiFunction<DecisionDraft, AiAnswer, String> bodies;
    private final Consumer<HeldReview> onHeld;

    /**
     * @param bodies the response body a caller would get for an answer
     * @param onHeld told of each review held (to audit it)
     */
    ReviewQueue(
            ReviewStore store,
            Clock clock,
            Duration sla,
            BiFunction<DecisionDraft, AiAnswer, String> bodies,
            Consumer<HeldReview> onHeld) {
        this.store = store;
        this.clock = clock;
        this.sla = sla;
        this.bodies = bodies;
        this.onHeld = onHeld;
    }

    @Override
    public Verdict review(DecisionDraft draft, AiRequest request, AiAnswer answer) {
        if (draft.reviewReasons().isEmpty()) {
            return new Verdict.NotRequired();
        }
        String body = bodies.apply(draft, answer);
        if (body == null) {
            throw new Stop(
                            STAGE,
                            400,
                            "invalid_request_error",
                            "review_unsupported",
                            "This call needs human review (" + String.join(", ", draft.reviewReasons())
                                    + "), but only chat answers and predictions can be held for review.",
                            null)
                    .toException();
        }
        Instant now = clock.instant();
        Principal who = Objects.requireNonNull(draft.principal(), "authenticated before review");
        ModelSpec spec = Objects.requireNonNull(draft.spec(), "resolved before review");
        var held = new HeldReview(
                "rv_" + DecisionIds.next(now.toEpochMilli()),
                draft.id(),
                who.tenant(),
                who.keyId(),
                spec.name(),
                spec.version(),
                draft.reviewReasons(),
                ContentText.of(request),
                ContentText.of(answer),
                body,
                draft.reviewCallback(),
                now,
                now.plus(sla),
                HeldReview.State.PENDING,
                null,
                null,
                null,
                null,
                null,
                null);
        store.insertReview(held, draft.subject());
        onHeld.accept(held);
        return new Verdict.Held(held.id(), String.join(", ", held.reasons()));
    }
}
