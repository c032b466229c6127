package dev.airlock.monitor;

class InMemoryProfileStoreTest extends ProfileStoreContract {
    private final InMemoryProfileStore profiles = new InMemoryProfileStore();

    @Override
    protected ProfileStore profiles() {
        return profiles;
    }
}
