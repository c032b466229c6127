package dev.airlock.workflow;

class InMemoryRunStoreTest extends RunStoreContract {
    private final InMemoryRunStore store = new InMemoryRunStore();

    @Override
    protected RunStore runs() {
        return store;
    }
}
