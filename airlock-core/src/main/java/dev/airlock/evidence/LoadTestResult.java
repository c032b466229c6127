package dev.airlock.evidence;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a load test measured: a model driven at {@code multiplier} times its expected load against a local upstream.
 * Evidence the readiness gate reads.
 *
 * @param id unique, time-ordered id
 * @param model the model driven
 * @param modelVersion its version then
 * @param startedAt when the run started
 * @param duration how long requests were sent
 * @param multiplier the load as a multiple of the model's expected load
 * @param targetRps requests per second sent (open loop)
 * @param sent requests sent
 * @param ok requests answered 2xx
 * @param shed requests refused with 429 (admission control)
 * @param errors other failures (5xx, timeouts, transport errors)
 * @param p50Millis median latency of answered requests
 * @param p99Millis 99th percentile latency of answered requests
 * @param maxMillis slowest answered request
 * @param shedP99Millis 99th percentile time to a 429
 * @param upstreamLatency the latency the local upstream added to each call
 */
public record LoadTestResult(
        String id,
        String model,
        String modelVersion,
        Instant startedAt,
        Duration duration,
        double multiplier,
        double targetRps,
        long sent,
        long ok,
        long shed,
        long errors,
        double p50Millis,
        double p99Millis,
        double maxMillis,
        double shedP99Millis,
        Duration upstreamLatency) {
    public LoadTestResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** Share of sent requests that failed other than by shedding. */
    public double errorRate() {
        return sent == 0 ? 0 : (double) errors / sent;
    }
}
