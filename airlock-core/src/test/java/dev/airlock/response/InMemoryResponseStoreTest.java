package dev.airlock.response;

class InMemoryResponseStoreTest extends ResponseStoreContract {
    private final InMemoryResponseStore store = new InMemoryResponseStore();

    @Override
    protected ResponseStore responses() {
        return store;
    }
}
