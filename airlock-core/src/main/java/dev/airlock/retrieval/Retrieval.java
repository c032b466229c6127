package dev.airlock.retrieval;

import dev.airlock.provider.Vectors;
import java.util.Comparator;
import java.util.List;

/**
 * Retrieval by meaning over the documents a tenant may be served: the nearest by cosine similarity of embeddings.
 * Only documents from trusted sources that are not quarantined are candidates — a quarantined or blocked document is
 * never served, whatever it contains. A scan, not an index: for thousands of documents per tenant, not millions.
 */
public final class Retrieval {
    private Retrieval() {}

    /** A served document and how close it is to the query. */
    public record Hit(Document document, double score) {}

    public static List<Hit> nearest(DocumentStore store, String tenant, float[] query, int k) {
        return store.servableDocuments(tenant).stream()
                .map(d -> new Hit(d, Vectors.cosine(query, d.vector())))
                .sorted(Comparator.comparingDouble(Hit::score).reversed())
                .limit(k)
                .toList();
    }
}
