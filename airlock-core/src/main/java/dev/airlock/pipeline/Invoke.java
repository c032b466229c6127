package dev.airlock.pipeline;

import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.EmbeddingProvider;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.StreamSummary;
import dev.airlock.provider.TabularModel;
import dev.airlock.registry.ServedModel;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * Stage 5: calls the provider, timing the call and turning provider failures into stops the caller can act on
 * (502 for an upstream that failed, 504 for one that timed out).
 */
public final class Invoke {
    public static final String STAGE = "invoke";

    /** The status recorded when the caller disconnects mid-answer (nginx's convention). */
    public static final int CLIENT_CLOSED = 499;

    ChatResult chat(DecisionDraft draft, ServedModel served, ChatRequest request) {
        var provider = (ChatProvider) served.provider();
        ChatResult result = timed(draft, () -> provider.complete(served.spec().upstreamModel(), request));
        draft.invoked(result.usage(), result.upstreamModel());
        return result;
    }

    StreamSummary stream(DecisionDraft draft, ServedModel served, ChatRequest request, ChunkSink sink) {
        var provider = (ChatProvider) served.provider();
        sink.opened(draft.id());
        StreamSummary summary = timed(draft, () -> provider.stream(served.spec().upstreamModel(), request, sink));
        draft.invoked(summary.usage(), summary.upstreamModel());
        return summary;
    }

    EmbeddingResult embed(DecisionDraft draft, ServedModel served, EmbeddingRequest request) {
        var provider = (EmbeddingProvider) served.provider();
        EmbeddingResult result = timed(draft, () -> provider.embed(served.spec().upstreamModel(), request));
        draft.invoked(result.usage(), result.upstreamModel());
        return result;
    }

    Prediction predict(DecisionDraft draft, ServedModel served, PredictRequest request) {
        var model = (TabularModel) served.provider();
        Prediction prediction = timed(draft, () -> model.predict(request));
        draft.invoked(Usage.NONE, null);
        // the explanation travels with the record: the top reason codes behind this prediction
        prediction.reasons().forEach(draft::reason);
        return prediction;
    }

    private static <T> T timed(DecisionDraft draft, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (ProviderException e) {
            throw toStop(e).toException();
        } catch (UncheckedIOException callerGone) {
            throw new Stop(
                            STAGE,
                            CLIENT_CLOSED,
                            "api_error",
                            "client_disconnected",
                            "the caller went away before the answer was complete",
                            null)
                    .toException();
        } finally {
            draft.upstreamMicros((System.nanoTime() - start) / 1_000);
        }
    }

    /** The stop a caller sees for a provider failure. */
    static Stop toStop(ProviderException e) {
        String message = e.getMessage();
        return switch (e.kind()) {
            case TIMEOUT -> new Stop(STAGE, 504, "api_error", "upstream_timeout", message, null);
            case UNREACHABLE -> new Stop(STAGE, 502, "api_error", "upstream_unreachable", message, null);
            case MALFORMED -> new Stop(STAGE, 502, "api_error", "upstream_malformed_response", message, null);
            case INTERNAL -> new Stop(STAGE, 502, "api_error", "model_failed", message, null);
            case STATUS -> statusStop(e);
        };
    }

    private static Stop statusStop(ProviderException e) {
        int status = e.upstreamStatus();
        if (status == 400 || status == 404 || status == 422) {
            return new Stop(STAGE, 400, "invalid_request_error", "upstream_rejected", e.getMessage(), null);
        }
        if (status == 429) {
            return new Stop(STAGE, 429, "rate_limit_error", "upstream_rate_limited", e.getMessage(), null);
        }
        return new Stop(STAGE, 502, "api_error", "upstream_error", e.getMessage(), null);
    }
}
