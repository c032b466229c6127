package dev.airlock.retrieval;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Where documents and their sources' trust are kept. */
public interface DocumentStore {
    /** Sets a source's trust in a tenant. */
    void setSourceTrust(String tenant, String source, Trust trust);

    /** A tenant's sources and their trust. */
    Map<String, Trust> sources(String tenant);

    void insertDocument(Document document);

    Optional<Document> findDocument(String id);

    /** Sets or clears (null) a document's own quarantine. */
    void quarantineDocument(String id, @Nullable String reason);

    /**
     * The documents retrieval may serve a tenant: from trusted sources, not quarantined themselves. A quarantined
     * document is never among them.
     */
    List<Document> servableDocuments(String tenant);
}
