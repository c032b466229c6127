package dev.airlock.server.runtime;

import dev.airlock.server.config.TracingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A node's tracing: OpenTelemetry's SDK exporting spans over OTLP/HTTP (protobuf) in batches, when {@code tracing}
 * names an endpoint; nothing at all otherwise. New traces are sampled at {@code sample_ratio}; a request that carries a
 * W3C {@code traceparent} keeps its caller's decision (parent-based sampling). The SDK is this node's own, not the
 * JVM-wide global, so several nodes in one JVM (tests, an embedding application) keep their spans apart.
 *
 * <pre>{@code
 * try (Tracing tracing = Tracing.of(TracingConfig.to("http://127.0.0.1:4318"))) {
 *     Tracer tracer = tracing.tracer().orElseThrow();
 * }
 * }</pre>
 */
public final class Tracing implements AutoCloseable {
    /** The instrumentation scope of Airlock's spans. */
    public static final String SCOPE = "dev.airlock";

    private static final Tracing OFF = new Tracing(null);

    private final @Nullable OpenTelemetrySdk sdk;

    private Tracing(@Nullable OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    /** Tracing as configured: off (no SDK, no spans) unless an OTLP endpoint is set. */
    public static Tracing of(TracingConfig config) {
        if (!config.enabled()) {
            return OFF;
        }
        var exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(tracesUrl(config.otlpEndpoint()))
                .setTimeout(10, TimeUnit.SECONDS);
        config.headers().forEach(exporter::addHeader);
        var provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.builder()
                                .put("service.name", config.serviceName())
                                .build())))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        .setScheduleDelay(1, TimeUnit.SECONDS)
                        .build())
                .build();
        return new Tracing(OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build());
    }

    /** Where spans go: {@code {endpoint}/v1/traces}, as OTLP/HTTP exporters read a base endpoint. */
    static String tracesUrl(String endpoint) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return base.endsWith("/v1/traces") ? base : base + "/v1/traces";
    }

    public boolean enabled() {
        return sdk != null;
    }

    /** The tracer of Airlock's spans, when tracing is on. */
    public Optional<Tracer> tracer() {
        return sdk == null ? Optional.empty() : Optional.of(sdk.getTracer(SCOPE));
    }

    /** The SDK when on; the no-op API when off (whose propagators read and write nothing). */
    public OpenTelemetry openTelemetry() {
        return sdk == null ? OpenTelemetry.noop() : sdk;
    }

    /** Exports the spans still buffered, waiting at most a few seconds. */
    public void flush() {
        if (sdk != null) {
            sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
        }
    }

    /** Exports what is buffered and stops the exporter. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
