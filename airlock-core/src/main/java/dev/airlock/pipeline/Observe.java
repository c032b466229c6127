package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stage 9, after record: watchers see every stored Decision with the request as received and the answer as returned
 * (null when none was given), for statistics the Decision itself does not keep, such as feature profiles or the
 * predicted class. It runs on the caller's thread after the Decision is durable, so it must be cheap (a few
 * microseconds) and must not block; what it throws is logged and never reaches the caller. Shadow copies are
 * observed too; {@link Decision#notes()} says which Decisions are copies.
 */
@FunctionalInterface
public interface Observe {
    String STAGE = "observe";

    /** Watches nothing. */
    Observe NONE = (decision, request, answer) -> {};

    void observe(Decision decision, AiRequest request, @Nullable AiAnswer answer);

    /** All of {@code watchers}, in order; one that throws does not keep the next from seeing the Decision. */
    static Observe all(List<Observe> watchers) {
        List<Observe> copy = List.copyOf(watchers);
        return (decision, request, answer) -> {
            for (Observe w : copy) {
                Observers.safely(w, decision, request, answer);
            }
        };
    }
}
