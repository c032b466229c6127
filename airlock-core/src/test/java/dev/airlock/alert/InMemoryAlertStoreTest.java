package dev.airlock.alert;

class InMemoryAlertStoreTest extends AlertStoreContract {
    private final InMemoryAlertStore store = new InMemoryAlertStore();

    @Override
    protected AlertStore alerts() {
        return store;
    }
}
