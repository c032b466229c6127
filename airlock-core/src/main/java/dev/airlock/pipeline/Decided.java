package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;

/**
 * The recorded Decision and, when it was answered, the answer.
 *
 * @param decision what happened, as recorded
 * @param answer the answer to hand the caller; null unless {@code decision.outcome()} is {@link Outcome.Answered}
 * @param attempts the tokens of each upstream call when the answer took several (repairs); empty when it took one.
 *     The Decision's usage is their total, what the caller is charged
 */
public record Decided<T>(Decision decision, T answer, java.util.List<dev.airlock.decision.Usage> attempts) {
    public Decided {
        attempts = java.util.List.copyOf(attempts);
    }

    public Decided(Decision decision, T answer) {
        this(decision, answer, java.util.List.of());
    }
}
