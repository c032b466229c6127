package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import io.micrometer.core.instrument.MeterRegistry;

/** Stage 8: makes the finished Decision durable and counts it. */
public interface Record {
    String STAGE = "record";

    /**
     * @return whether the Decision was stored; false when it was only counted (a call that failed authentication)
     * @throws RuntimeException when the Decision could not be made durable; the caller then gets no answer
     */
    boolean record(Decision decision);

    /**
     * The record stage: appends each Decision to the log (durable before the caller gets an answer) and counts it in
     * the request, latency, token and upstream metrics; a call that failed authentication is counted, not stored.
     */
    static Record storing(DecisionLog log, MeterRegistry meters) {
        return new Recorder(log, meters);
    }
}
