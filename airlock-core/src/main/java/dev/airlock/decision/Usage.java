package dev.airlock.decision;

/** Tokens consumed by one call, as the upstream reported them or as counted in-process. */
public record Usage(long inputTokens, long outputTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must not be negative: in=" + inputTokens + ", out=" + outputTokens);
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
