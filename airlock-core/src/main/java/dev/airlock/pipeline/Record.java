package dev.airlock.pipeline;

import dev.airlock.decision.Decision;

/** Stage 8: makes the finished Decision durable and counts it. */
public interface Record {
    String STAGE = "record";

    /**
     * @return whether the Decision was stored; false when it was only counted (a call that failed authentication)
     * @throws RuntimeException when the Decision could not be made durable; the caller then gets no answer
     */
    boolean record(Decision decision);
}
