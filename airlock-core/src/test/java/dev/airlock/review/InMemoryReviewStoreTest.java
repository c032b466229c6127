package dev.airlock.review;

class InMemoryReviewStoreTest extends ReviewStoreContract {
    private final InMemoryReviewStore reviews = new InMemoryReviewStore();

    @Override
    protected ReviewStore reviews() {
        return reviews;
    }
}
