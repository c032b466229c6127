package dev.airlock.server.metrics;

import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * The OpenTelemetry span current where a meter is updated, as the Prometheus client asks for it: histogram buckets
 * and counters then carry the trace id as an exemplar (OpenMetrics only), so a slow bucket on a dashboard leads to a
 * trace of a call that landed in it. With no valid, sampled span current there is no exemplar.
 */
final class CurrentSpan implements SpanContext {

    @Override
    public String getCurrentTraceId() {
        var context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
        var context = Span.current().getSpanContext();
        return context.isValid() ? context.getSpanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
        var context = Span.current().getSpanContext();
        return context.isValid() && context.isSampled();
    }

    /** Tells the trace's sampler downstream that a metric points at this span, so it is worth keeping. */
    @Override
    public void markCurrentSpanAsExemplar() {
        Span.current().setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
    }
}
