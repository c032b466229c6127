package dev.airlock.provider;

/** Receives the chunks of a streamed answer as they arrive. */
@FunctionalInterface
public interface ChunkSink {
    /**
     * Takes one chunk.
     *
     * @throws java.io.UncheckedIOException when the caller has gone away; the stream is then abandoned
     */
    void accept(ChatChunk chunk);

    /** Called once, before the provider is called, with the id of the Decision the stream belongs to. */
    default void opened(String decisionId) {}
}
