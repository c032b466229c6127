package dev.airlock.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DocumentStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryDocumentStore} all
 * pass it.
 */
public abstract class DocumentStoreContract {
    /** An empty document store that only the calling test uses. */
    protected abstract DocumentStore documents();

    @Test
    void documents_areServedOnlyFromTrustedSources_andNeverWhenQuarantined() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        documents().setSourceTrust("acme", "wiki", Trust.TRUSTED);
        documents().setSourceTrust("acme", "crawl", Trust.QUARANTINED);
        var fromWiki = new Document(
                "doc1",
                "acme",
                "wiki",
                "a".repeat(64),
                "reset by holding the button",
                new float[] {0.5f, -1.25f},
                0.01,
                null,
                t0);
        var fromCrawl = new Document(
                "doc2", "acme", "crawl", "b".repeat(64), "text", new float[] {1f, 0f}, 0.0, null, t0.plusSeconds(1));
        documents().insertDocument(fromWiki);
        documents().insertDocument(fromCrawl);

        assertThat(documents().servableDocuments("acme"))
                .extracting(Document::id)
                .containsExactly("doc1");
        assertThat(documents().findDocument("doc1").orElseThrow().vector()).containsExactly(0.5f, -1.25f);
        documents().quarantineDocument("doc1", "suspected injection");
        assertThat(documents().servableDocuments("acme")).isEmpty();
        documents().quarantineDocument("doc1", null);
        documents().setSourceTrust("acme", "crawl", Trust.TRUSTED);
        assertThat(documents().servableDocuments("acme")).hasSize(2);
        assertThat(documents().servableDocuments("globex")).isEmpty();
        assertThat(documents().sources("acme")).containsEntry("crawl", Trust.TRUSTED);
    }

    @Test
    void aQuarantinedDocument_saysWhy_andADocumentOfAnUndeclaredSourceIsNotServed() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        documents()
                .insertDocument(
                        new Document("doc1", "acme", "wiki", "a".repeat(64), "t", new float[] {1f}, 0.9, null, t0));

        assertThat(documents().servableDocuments("acme")).isEmpty();
        documents().quarantineDocument("doc1", "suspected injection");
        assertThat(documents().findDocument("doc1").orElseThrow().quarantine()).isEqualTo("suspected injection");
        assertThat(documents().findDocument("doc2")).isEmpty();
        assertThat(documents().sources("acme")).isEmpty();
    }
}
