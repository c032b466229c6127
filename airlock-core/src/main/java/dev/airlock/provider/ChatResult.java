package dev.airlock.provider;

import dev.airlock.decision.Usage;
import org.jspecify.annotations.Nullable;

/**
 * A complete chat answer.
 *
 * @param body the response body to return to the caller, in OpenAI's wire format
 * @param text the assistant's text, for guards and records
 * @param finishReason why generation stopped, as the upstream said
 * @param usage tokens in and out
 * @param upstreamModel the model the upstream says answered
 */
public record ChatResult(String body, String text, @Nullable String finishReason, Usage usage, String upstreamModel)
        implements AiAnswer {}
