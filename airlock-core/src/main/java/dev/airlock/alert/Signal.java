package dev.airlock.alert;

import java.time.Instant;

/**
 * One reading of a named gauge: a model version's p99 latency, error rate, drift, live accuracy… Signals about the
 * installation rather than a model name what they concern in {@code model} ({@code breaker:chat-upstream/llama3.2},
 * {@code budget:team-daily}, {@code audit}) and leave {@code version} empty.
 *
 * @param name what is measured, as rules name it ({@code latency_p99_ms})
 * @param value the reading
 * @param at when it was read (or the end of the window it summarises)
 */
public record Signal(String name, String model, String version, double value, Instant at) {
    /** A reading about the installation itself, not one model version. */
    public static Signal installation(String name, String subject, double value, Instant at) {
        return new Signal(name, subject, "", value, at);
    }
}
