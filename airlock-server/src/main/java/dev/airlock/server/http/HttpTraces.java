package dev.airlock.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The server span of each request: it continues the caller's trace when the request carries a W3C {@code traceparent}
 * (and {@code tracestate}), is current while the request runs (so the pipeline's spans are its children and
 * {@code Span.current()} names it to anything on the request's thread), and is echoed to the caller in the response's
 * {@code traceparent}. Registered only when tracing is on.
 */
final class HttpTraces {
    private static final String SPAN = "airlock.http.span";
    private static final String SCOPE = "airlock.http.scope";
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Context ctx) {
            return ctx.headerMap().keySet();
        }

        @Override
        public @Nullable String get(@Nullable Context ctx, String key) {
            return ctx == null ? null : ctx.header(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private HttpTraces(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Adds the server span to every request of {@code app}; registered before any other handler. */
    static void install(Javalin app, Tracer tracer, OpenTelemetry otel) {
        var traces = new HttpTraces(tracer, otel.getPropagators().getTextMapPropagator());
        app.before(traces::start);
        app.after(traces::end);
    }

    private void start(Context ctx) {
        io.opentelemetry.context.Context parent =
                propagator.extract(io.opentelemetry.context.Context.root(), ctx, HEADERS);
        Span span = tracer.spanBuilder(ctx.method().name())
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, ctx.method().name())
                .setAttribute(PATH, ctx.path())
                .startSpan();
        ctx.attribute(SPAN, span);
        ctx.attribute(SCOPE, makeCurrent(span));
        propagator.inject(io.opentelemetry.context.Context.current(), ctx, (c, name, value) -> {
            if (c != null) {
                c.header(name, value);
            }
        });
    }

    /** Closed in {@link #end}, on the request's thread. */
    @SuppressWarnings("MustBeClosedChecker")
    private static Scope makeCurrent(Span span) {
        return span.makeCurrent();
    }

    private void end(Context ctx) {
        Scope scope = ctx.attribute(SCOPE);
        Span span = ctx.attribute(SPAN);
        if (scope != null) {
            scope.close();
        }
        if (span == null) {
            return;
        }
        int status = ctx.statusCode();
        String route = route(ctx);
        if (route != null) {
            span.updateName(ctx.method().name() + " " + route);
            span.setAttribute(ROUTE, route);
        }
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setAttribute(AttributeKey.stringKey("error.type"), Integer.toString(status));
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** The route's template ({@code /v1/models/{name}}), or null when none matched. */
    private static @Nullable String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path.isEmpty() || List.of("*", "/*").contains(path) ? null : path;
        } catch (RuntimeException none) {
            return null;
        }
    }
}
