package dev.airlock.monitor.retrain;

class InMemoryRetrainStoreTest extends RetrainStoreContract {
    private final InMemoryRetrainStore store = new InMemoryRetrainStore();

    @Override
    protected RetrainStore retrainStore() {
        return store;
    }
}
