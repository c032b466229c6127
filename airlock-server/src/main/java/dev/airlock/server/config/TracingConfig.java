package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.Map;

/**
 * Where a node's spans go: OTLP over HTTP (protobuf) to a collector. Off unless {@code otlp_endpoint} is set; off, the
 * pipeline makes no spans at all.
 *
 * <pre>{@code
 * tracing:
 *   otlp_endpoint: http://127.0.0.1:4318   # spans are posted to {otlp_endpoint}/v1/traces
 *   sample_ratio: 0.1                      # of the traces Airlock starts; a caller's sampled flag is followed
 *   headers: {authorization: "Bearer ${OTLP_TOKEN}"}
 * }</pre>
 *
 * @param otlpEndpoint the collector's OTLP/HTTP base URL, or null for no tracing
 * @param sampleRatio the share of new traces recorded, 0 to 1; a request that carries a {@code traceparent} keeps the
 *     caller's sampling decision
 * @param serviceName {@code service.name} of the spans
 * @param headers sent with every export (a collector's credentials)
 */
public record TracingConfig(
        @JsonProperty("otlp_endpoint") String otlpEndpoint,
        @JsonProperty("sample_ratio") @Default("1.0") double sampleRatio,
        @JsonProperty("service_name") @Default("airlock") String serviceName,
        Map<String, String> headers) {
    public static final TracingConfig DEFAULTS = Options.defaults(TracingConfig.class);

    public TracingConfig {
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new OptionException(sampleRatio + " is not a ratio; expected 0 to 1", "sample_ratio");
        }
        if (otlpEndpoint != null) {
            URI uri;
            try {
                uri = URI.create(otlpEndpoint);
            } catch (IllegalArgumentException e) {
                throw new OptionException(
                        "'" + otlpEndpoint + "' is not a URL; expected e.g. http://127.0.0.1:4318", "otlp_endpoint");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new OptionException(
                        "'" + otlpEndpoint + "' is not an http(s) URL; expected e.g. http://127.0.0.1:4318",
                        "otlp_endpoint");
            }
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Whether spans are made and exported. */
    public boolean enabled() {
        return otlpEndpoint != null;
    }

    /** Tracing to {@code endpoint}, every other option at its default. */
    public static TracingConfig to(String endpoint) {
        return Options.bind(TracingConfig.class, Map.of("otlp_endpoint", endpoint));
    }
}
