package dev.airlock.pipeline;

import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;

/** Stage 7: decides whether a person must look at the answer before the caller gets it. */
public interface Review {
    String STAGE = "review";

    /** Never holds. */
    Review NONE = (draft, request, answer) -> new Verdict.NotRequired();

    /**
     * @param request the request as the guards left it
     * @param answer the answer as the output guards left it
     */
    Verdict review(DecisionDraft draft, AiRequest request, AiAnswer answer);

    /** Whether an answer goes out now or waits for a reviewer. */
    sealed interface Verdict {
        record NotRequired() implements Verdict {}

        /** Held for a reviewer; the caller is told where to look for the outcome. */
        record Held(String reviewId, String reason) implements Verdict {}
    }
}
