package dev.airlock.pipeline;

import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;

/** Stage 6: validates, and may repair or refuse, what the provider returned. */
public interface GuardOutput {
    String STAGE = "guard_output";

    /** Accepts every answer unchanged. */
    GuardOutput NONE = (draft, request, answer) -> answer;

    /**
     * @return the answer to return, possibly rewritten
     * @throws dev.airlock.decision.Stop.Stopped when the answer must not reach the caller
     */
    AiAnswer check(DecisionDraft draft, AiRequest request, AiAnswer answer);
}
