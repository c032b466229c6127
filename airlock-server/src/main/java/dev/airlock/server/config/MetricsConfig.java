package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * What {@code /metrics} exports.
 *
 * <p>The latency buckets are the upper bounds of every Airlock latency histogram (request and upstream durations). A
 * dozen bounds where latency objectives are set keep a node's series few (69 per label set before) while a p99 and an
 * "under 100ms" ratio stay exact at each bound. The default spans Airlock's own work and in-process models (5-50ms),
 * tabular and embedding calls (100-500ms) and chat models up to a typical deadline (1-60s).
 *
 * <pre>{@code
 * metrics:
 *   latency_buckets: [5ms, 10ms, 25ms, 50ms, 100ms, 250ms, 500ms, 1s, 2500ms, 5s, 10s, 30s, 60s]
 * }</pre>
 *
 * @param latencyBuckets upper bounds of the latency histograms, increasing, 1 to 40 of them
 */
public record MetricsConfig(
        @JsonProperty("latency_buckets")
        @Default("[5ms, 10ms, 25ms, 50ms, 100ms, 250ms, 500ms, 1s, 2500ms, 5s, 10s, 30s, 60s]")
        List<Duration> latencyBuckets) {
    public static final MetricsConfig DEFAULTS = Options.defaults(MetricsConfig.class);

    /** More bounds than this give back what SLO-shaped buckets save. */
    static final int MAX_BUCKETS = 40;

    public MetricsConfig {
        latencyBuckets = List.copyOf(latencyBuckets);
        if (latencyBuckets.isEmpty() || latencyBuckets.size() > MAX_BUCKETS) {
            throw new OptionException(
                    latencyBuckets.size() + " bounds given; expected 1 to " + MAX_BUCKETS, "latency_buckets");
        }
        for (int i = 0; i < latencyBuckets.size(); i++) {
            Duration bound = latencyBuckets.get(i);
            if (bound.isZero() || bound.isNegative()) {
                throw new OptionException(
                        "'" + Durations.format(bound) + "' is not a positive duration", "latency_buckets", i);
            }
            if (i > 0 && bound.compareTo(latencyBuckets.get(i - 1)) <= 0) {
                throw new OptionException(
                        "'" + Durations.format(bound) + "' does not exceed '"
                                + Durations.format(latencyBuckets.get(i - 1))
                                + "' before it; expected increasing bounds",
                        "latency_buckets",
                        i);
            }
        }
    }
}
