package dev.airlock.decision;

/**
 * Tokens consumed by one call, as the upstream reported them or as counted in-process.
 *
 * @param inputTokens prompt tokens, including cached ones
 * @param outputTokens completion tokens
 * @param cachedInputTokens of the prompt tokens, those the provider served from its prompt cache (cheaper)
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: in=" + inputTokens + ", out="
                    + outputTokens + ", cached=" + cachedInputTokens);
        }
    }

    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, 0);
    }

    /** Both calls' tokens together, e.g. an answer and its repair. */
    public Usage plus(Usage other) {
        return new Usage(
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                cachedInputTokens + other.cachedInputTokens);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
