package dev.airlock.server.json;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** JSON Lines exports, streamed: the records a search hands over are written one per line as they come. */
public final class JsonLines {
    private JsonLines() {}

    /**
     * Writes every record {@code search} hands to its visitor, one JSON document per line, and flushes.
     *
     * @param search runs a store search with the given visitor, e.g. {@code v -> store.searchDecisions(query, v)}
     * @return how many records were written
     * @throws UncheckedIOException when the output fails (e.g. the caller went away)
     */
    public static <T> long write(OutputStream out, Consumer<Predicate<T>> search, Function<T, byte[]> render) {
        var buffered = new BufferedOutputStream(out);
        long[] count = {0};
        search.accept(record -> {
            try {
                buffered.write(render.apply(record));
                buffered.write('\n');
                count[0]++;
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("the export could not be written", e);
            }
        });
        try {
            buffered.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the export could not be written", e);
        }
        return count[0];
    }
}
