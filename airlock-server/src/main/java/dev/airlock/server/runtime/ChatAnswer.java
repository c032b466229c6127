package dev.airlock.server.runtime;

import dev.airlock.decision.Usage;
import org.jspecify.annotations.Nullable;

/**
 * A chat model's answer, as an in-process application reads it.
 *
 * @param text the assistant's text, after the output guards
 * @param finishReason why generation stopped, as the upstream said ({@code stop}, {@code length}, ...), or null when a
 *     stream never said
 * @param usage the tokens the call is charged for: every upstream call that made the answer, repairs included
 */
public record ChatAnswer(String text, @Nullable String finishReason, Usage usage) {}
