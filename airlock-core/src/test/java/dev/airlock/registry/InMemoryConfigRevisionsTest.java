package dev.airlock.registry;

class InMemoryConfigRevisionsTest extends ConfigRevisionsContract {
    private final InMemoryConfigRevisions revisions = new InMemoryConfigRevisions();

    @Override
    protected ConfigRevisions revisions() {
        return revisions;
    }
}
