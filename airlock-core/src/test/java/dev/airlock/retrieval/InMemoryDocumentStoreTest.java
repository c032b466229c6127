package dev.airlock.retrieval;

class InMemoryDocumentStoreTest extends DocumentStoreContract {
    private final InMemoryDocumentStore documents = new InMemoryDocumentStore();

    @Override
    protected DocumentStore documents() {
        return documents;
    }
}
