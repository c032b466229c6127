package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.StreamSummary;
import dev.airlock.routing.Target;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The spans of the pipeline, named and attributed after OpenTelemetry's GenAI conventions: one per Decision
 * ({@code chat loan-risk}), one per stage under it ({@code airlock.resolve}, …), and one per provider attempt under
 * {@code airlock.invoke} ({@code chat gpt-4o-mini}, kind CLIENT), so retries and fallbacks show as separate attempts.
 * Each span is current while its work runs, so a provider that propagates the current context (W3C
 * {@code traceparent}) names its attempt span as the upstream's parent.
 *
 * <p>Core speaks only OpenTelemetry's API: without a tracer (the default) no span is made and nothing is allocated;
 * with one, the host's SDK decides sampling and export.
 */
final class Traces {
    static final Traces OFF = new Traces(null);

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("airlock.decision.id");
    static final AttributeKey<String> MODEL_VERSION = AttributeKey.stringKey("airlock.model.version");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("airlock.outcome");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("airlock.attempt");

    private final @Nullable Tracer tracer;

    Traces(@Nullable Tracer tracer) {
        this.tracer = tracer;
    }

    /** The GenAI operation of a kind of call; tabular predictions have no name in the conventions. */
    static String operation(RequestKind kind) {
        return switch (kind) {
            case CHAT -> "chat";
            case EMBEDDING -> "embeddings";
            case PREDICT -> "predict";
            case TOOL -> "execute_tool";
        };
    }

    /** The span of one Decision, current until closed; its trace id goes into the Decision. */
    Step decision(RequestKind kind, @Nullable String model, String decisionId) {
        if (tracer == null) {
            return Step.NONE;
        }
        String operation = operation(kind);
        Span span = tracer.spanBuilder(model == null ? operation : operation + " " + model)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION, operation)
                .setAttribute(DECISION_ID, decisionId)
                .startSpan();
        if (model != null) {
            span.setAttribute(REQUEST_MODEL, model);
        }
        return Step.current(span);
    }

    /** The span of one stage ({@code airlock.<stage>}), current until closed. */
    Step stage(String stage) {
        if (tracer == null) {
            return Step.NONE;
        }
        Span span = tracer.spanBuilder("airlock." + stage).startSpan();
        return Step.current(span);
    }

    /** Runs one stage inside its span ({@code airlock.<stage>}); a stop or failure marks the span. */
    <R> R in(String stage, Supplier<R> body) {
        if (tracer == null) {
            return body.get();
        }
        try (Step step = stage(stage)) {
            try {
                return body.get();
            } catch (Stop.Stopped stopped) {
                step.stopped(stopped.stop());
                throw stopped;
            } catch (RuntimeException e) {
                step.broke(e);
                throw e;
            }
        }
    }

    /** The span of one try at one target, current until closed: what an upstream call sees as its parent. */
    Step attempt(RequestKind kind, Target target, int n) {
        if (tracer == null) {
            return Step.NONE;
        }
        String operation = operation(kind);
        Span span = tracer.spanBuilder(operation + " " + target.upstreamModel())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, operation)
                .setAttribute(PROVIDER, target.provider())
                .setAttribute(REQUEST_MODEL, target.upstreamModel())
                .setAttribute(ATTEMPT, (long) n)
                .startSpan();
        return Step.current(span);
    }

    /**
     * A span in progress and the scope that makes it current; closing ends both. The one for tracing off does
     * nothing.
     */
    static final class Step implements AutoCloseable {
        static final Step NONE = new Step(null, null);

        private final @Nullable Span span;
        private final @Nullable Scope scope;

        private Step(@Nullable Span span, @Nullable Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** The span made current; the Step owns the scope and closes it with the span. */
        @SuppressWarnings("MustBeClosedChecker")
        static Step current(Span span) {
            return new Step(span, span.makeCurrent());
        }

        /** The trace id, or null without a span. */
        @Nullable
        String traceId() {
            return span == null || !span.getSpanContext().isValid()
                    ? null
                    : span.getSpanContext().getTraceId();
        }

        /** What the answer says: the model that answered, tokens, why generation stopped. */
        void answered(@Nullable Object answer) {
            if (span == null || !span.isRecording()) {
                return;
            }
            switch (answer) {
                case ChatResult chat -> answer(span, chat.upstreamModel(), chat.usage(), chat.finishReason());
                case StreamSummary sum -> answer(span, sum.upstreamModel(), sum.usage(), sum.finishReason());
                case EmbeddingResult emb -> answer(span, emb.upstreamModel(), emb.usage(), null);
                case null, default -> {}
            }
        }

        /** The attempt failed: its kind (timeout, status_503, …) as {@code error.type}. */
        void failed(ProviderException e) {
            if (span != null) {
                String type = e.kind() == ProviderException.Kind.STATUS
                        ? Integer.toString(e.upstreamStatus())
                        : e.kind().name().toLowerCase(Locale.ROOT);
                span.setAttribute(ERROR_TYPE, type);
                span.setStatus(StatusCode.ERROR, e.getMessage() == null ? type : e.getMessage());
            }
        }

        /** A stage stopped the call. */
        void stopped(Stop stop) {
            if (span != null) {
                span.setAttribute(ERROR_TYPE, stop.code());
                if (stop.status() >= 500) {
                    span.setStatus(StatusCode.ERROR, stop.message());
                }
            }
        }

        /** Something unexpected escaped the stage. */
        void broke(Throwable e) {
            if (span != null) {
                span.setAttribute(ERROR_TYPE, e.getClass().getName());
                span.setStatus(StatusCode.ERROR);
            }
        }

        /** The Decision as recorded: which provider and version answered, its usage and outcome. */
        void decided(Decision decision) {
            if (span == null || !span.isRecording()) {
                return;
            }
            span.setAttribute(OUTCOME, decision.outcome().label());
            if (decision.provider() != null) {
                span.setAttribute(PROVIDER, decision.provider());
            }
            if (decision.upstreamModel() != null) {
                span.setAttribute(RESPONSE_MODEL, decision.upstreamModel());
            }
            if (decision.modelVersion() != null) {
                span.setAttribute(MODEL_VERSION, decision.modelVersion());
            }
            span.setAttribute(INPUT_TOKENS, decision.usage().inputTokens());
            span.setAttribute(OUTPUT_TOKENS, decision.usage().outputTokens());
            switch (decision.outcome()) {
                case Outcome.Answered answered -> {}
                case Outcome.Refused refused -> stopped(refused.stop());
                case Outcome.Failed failed -> {
                    span.setAttribute(ERROR_TYPE, failed.stop().code());
                    span.setStatus(StatusCode.ERROR, failed.stop().message());
                }
            }
        }

        @Override
        public void close() {
            if (scope != null) {
                scope.close();
            }
            if (span != null) {
                span.end();
            }
        }

        private static void answer(Span span, String model, Usage usage, @Nullable String finishReason) {
            span.setAttribute(RESPONSE_MODEL, model);
            span.setAttribute(INPUT_TOKENS, usage.inputTokens());
            span.setAttribute(OUTPUT_TOKENS, usage.outputTokens());
            if (finishReason != null) {
                span.setAttribute(FINISH_REASONS, List.of(finishReason));
            }
        }
    }
}
