package dev.airlock.provider;

import dev.airlock.decision.Usage;
import org.jspecify.annotations.Nullable;

/**
 * What a finished stream amounted to.
 *
 * @param text the assistant's text, assembled from the deltas
 * @param finishReason why generation stopped, or null if the stream never said
 * @param usage tokens in and out
 * @param upstreamModel the model the upstream says answered
 */
public record StreamSummary(String text, @Nullable String finishReason, Usage usage, String upstreamModel)
        implements AiAnswer {}
