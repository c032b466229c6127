package dev.airlock.incident;

class InMemoryIncidentStoreTest extends IncidentStoreContract {
    private final InMemoryIncidentStore store = new InMemoryIncidentStore();

    @Override
    protected IncidentStore incidents() {
        return store;
    }
}
