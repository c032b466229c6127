package dev.airlock.provider;

/** An AI call as the pipeline sees it, whatever protocol it arrived by. */
public sealed interface AiRequest permits ChatRequest, EmbeddingRequest, PredictRequest {
    /** The model name the caller asked for. */
    String model();
}
