package dev.airlock.monitor.outcome;

class InMemoryOutcomeStoreTest extends OutcomeStoreContract {
    private final InMemoryOutcomeStore store = new InMemoryOutcomeStore();

    @Override
    protected OutcomeStore outcomes() {
        return store;
    }
}
