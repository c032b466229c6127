package dev.airlock.provider;

/** What a provider gave back for an {@link AiRequest}. */
public sealed interface AiAnswer permits ChatResult, StreamSummary, EmbeddingResult, Prediction {}
