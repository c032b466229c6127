package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Usage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The recorded Decision and, when it was answered, the answer.
 *
 * @param decision what happened, as recorded
 * @param answer the answer to hand the caller; null unless {@code decision.outcome()} is {@link Outcome.Answered}
 * @param recorded whether the Decision is in the log: false for calls that failed authentication (counted, not
 *     stored) and for Decisions the log could not take; its id must then not be handed out as a reference
 * @param attempts the tokens of each upstream call when the answer took several (repairs); empty when it took one.
 *     The Decision's usage is their total, what the caller is charged
 */
public record Decided<T>(Decision decision, @Nullable T answer, boolean recorded, List<Usage> attempts) {
    public Decided {
        attempts = List.copyOf(attempts);
    }

    public Decided(Decision decision, @Nullable T answer, boolean recorded) {
        this(decision, answer, recorded, List.of());
    }
}
