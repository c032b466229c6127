package dev.airlock.pipeline;

class InMemoryShadowLogTest extends ShadowLogContract {
    private final InMemoryShadowLog shadows = new InMemoryShadowLog();

    @Override
    protected ShadowComparison.Log shadows() {
        return shadows;
    }
}
