package dev.airlock.provider;

import dev.airlock.decision.Usage;
import org.jspecify.annotations.Nullable;

/**
 * One server-sent event of a streamed chat answer.
 *
 * @param json the event's data in OpenAI's wire format, passed to the caller as is
 * @param deltaText the text this chunk adds, possibly empty
 * @param usage the usage the chunk reports, or null
 * @param usageOnly true for the final chunk that carries usage and no choices
 */
public record ChatChunk(
        String json, String deltaText, @Nullable Usage usage, boolean usageOnly) {}
