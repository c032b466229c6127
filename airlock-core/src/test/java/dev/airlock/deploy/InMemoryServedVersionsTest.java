package dev.airlock.deploy;

class InMemoryServedVersionsTest extends ServedVersionsContract {
    private final InMemoryServedVersions served = new InMemoryServedVersions();

    @Override
    protected ServedVersions served() {
        return served;
    }
}
