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

    /** These guards in order, each checking what the one before let through. */
    static GuardOutput all(GuardOutput... guards) {
        return (draft, request, answer) -> {
            AiAnswer checked = answer;
            for (GuardOutput g : guards) {
                checked = g.check(draft, request, checked);
            }
            return checked;
        };
    }

    /**
     * Thrown by a guard when a chat answer is invalid but the model may fix it: the pipeline asks again, with the
     * answer and {@code feedback} added to the conversation, at most {@code maxAttempts} times, then refuses with 422.
     */
    final class Repair extends RuntimeException {
        private final String problem;
        private final String feedback;
        private final int maxAttempts;

        public Repair(String problem, String feedback, int maxAttempts) {
            super(problem, null, false, false);
            this.problem = problem;
            this.feedback = feedback;
            this.maxAttempts = maxAttempts;
        }

        /** What is wrong, for the Decision and the caller. */
        public String problem() {
            return problem;
        }

        /** What the model is told. */
        public String feedback() {
            return feedback;
        }

        public int maxAttempts() {
            return maxAttempts;
        }
    }
}
