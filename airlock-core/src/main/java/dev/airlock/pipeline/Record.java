package dev.airlock.pipeline;

import dev.airlock.decision.Decision;

/** Stage 8: makes the finished Decision durable and counts it. */
public interface Record {
    String STAGE = "record";

    /**
     * @throws RuntimeException when the Decision could not be made durable; the caller then gets no answer
     */
    void record(Decision decision);
}
