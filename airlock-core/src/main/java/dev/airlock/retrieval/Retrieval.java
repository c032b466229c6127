package dev.airlock.retrieval;

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
                .map(d -> new Hit(d, cosine(query, d.vector())))
                .sorted(Comparator.comparingDouble(Hit::score).reversed())
                .limit(k)
                .toList();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
