package dev.airlock.retrieval;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Documents and source trust in maps, for core tests; passes {@link DocumentStoreContract}. */
public final class InMemoryDocumentStore implements DocumentStore {
    private final Map<String, Map<String, Trust>> sources = new LinkedHashMap<>();
    private final Map<String, Document> documents = new LinkedHashMap<>();

    @Override
    public synchronized void setSourceTrust(String tenant, String source, Trust trust) {
        sources.computeIfAbsent(tenant, t -> new TreeMap<>()).put(source, trust);
    }

    @Override
    public synchronized Map<String, Trust> sources(String tenant) {
        return new TreeMap<>(sources.getOrDefault(tenant, Map.of()));
    }

    @Override
    public synchronized void insertDocument(Document document) {
        if (documents.putIfAbsent(document.id(), document) != null) {
            throw new IllegalStateException("document id '" + document.id() + "' is already taken");
        }
    }

    @Override
    public synchronized Optional<Document> findDocument(String id) {
        return Optional.ofNullable(documents.get(id));
    }

    @Override
    public synchronized void quarantineDocument(String id, @Nullable String reason) {
        documents.computeIfPresent(
                id,
                (k, d) -> new Document(
                        d.id(),
                        d.tenant(),
                        d.source(),
                        d.sha256(),
                        d.text(),
                        d.vector(),
                        d.injectionScore(),
                        reason,
                        d.createdAt()));
    }

    @Override
    public synchronized List<Document> servableDocuments(String tenant) {
        Map<String, Trust> trust = sources.getOrDefault(tenant, Map.of());
        return documents.values().stream()
                .filter(d ->
                        d.tenant().equals(tenant) && trust.get(d.source()) == Trust.TRUSTED && d.quarantine() == null)
                .sorted(Comparator.comparing(Document::createdAt).thenComparing(Document::id))
                .toList();
    }
}
