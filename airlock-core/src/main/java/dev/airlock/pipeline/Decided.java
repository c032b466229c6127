package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;

/**
 * The recorded Decision and, when it was answered, the answer.
 *
 * @param decision what happened, as recorded
 * @param answer the answer to hand the caller; null unless {@code decision.outcome()} is {@link Outcome.Answered}
 */
public record Decided<T>(Decision decision, T answer) {}
