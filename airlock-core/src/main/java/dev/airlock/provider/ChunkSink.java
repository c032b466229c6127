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
}
