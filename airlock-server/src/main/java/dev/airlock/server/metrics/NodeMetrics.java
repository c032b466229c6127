package dev.airlock.server.metrics;

import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.MetricsConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A node's Prometheus metrics: the registry every part registers its meters in, with the configured latency buckets
 * on every Airlock timer and trace-id exemplars from the current OpenTelemetry span, and the scrape in the format the
 * scraper asks for.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = NodeMetrics.registry(config);
 * NodeMetrics.Scrape scrape = NodeMetrics.scrape(registry, ctx.header("Accept"));
 * }</pre>
 */
public final class NodeMetrics {
    private static final String OPENMETRICS = "application/openmetrics-text";
    // the content types the Prometheus client's writers declare; the registry picks its writer by them
    private static final String OPENMETRICS_1_0 = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private NodeMetrics() {}

    /** A registry for {@code config}'s node; the models' alert thresholds are already in it. */
    public static PrometheusMeterRegistry registry(AirlockConfig config) {
        PrometheusMeterRegistry registry = registry(config.metrics());
        ModelThresholds.register(config, registry);
        return registry;
    }

    /** A registry with {@code metrics}' latency buckets and exemplars from the current span. */
    public static PrometheusMeterRegistry registry(MetricsConfig metrics) {
        var registry = new PrometheusMeterRegistry(
                PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, new CurrentSpan());
        registry.config().meterFilter(new LatencyBuckets(metrics.latencyBuckets()));
        return registry;
    }

    /** A scrape's body and the content type that names its format. */
    public record Scrape(String contentType, String body) {}

    /**
     * The registry's meters as OpenMetrics text (with exemplars and {@code # EOF}) when {@code accept} names
     * {@code application/openmetrics-text}, else as Prometheus text (version 0.0.4), which every scraper reads.
     */
    public static Scrape scrape(PrometheusMeterRegistry registry, String accept) {
        String contentType = accept != null && accept.contains(OPENMETRICS) ? OPENMETRICS_1_0 : PROMETHEUS_TEXT;
        return new Scrape(contentType, registry.scrape(contentType));
    }
}
