package dev.airlock.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Held reviews in a map, for fast tests of the review desk. */
final class InMemoryReviewStore implements ReviewStore {
    private final Map<String, HeldReview> reviews = new LinkedHashMap<>();

    @Override
    public synchronized void insertReview(HeldReview review, String subject) {
        reviews.put(review.id(), review);
    }

    @Override
    public synchronized Optional<HeldReview> findReview(String id) {
        return Optional.ofNullable(reviews.get(id));
    }

    @Override
    public synchronized List<HeldReview> reviews(String tenant, HeldReview.State state, int limit) {
        return reviews.values().stream()
                .filter(r -> r.tenant().equals(tenant) && (state == null || r.state() == state))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean updateReview(HeldReview before, HeldReview after) {
        HeldReview now = reviews.get(before.id());
        if (now == null || now.state() != before.state() || !Objects.equals(now.claimedBy(), before.claimedBy())) {
            return false;
        }
        reviews.put(after.id(), after);
        return true;
    }

    @Override
    public synchronized List<HeldReview> overdueReviews(Instant now) {
        return new ArrayList<>(reviews.values().stream()
                .filter(r -> r.pending() && r.escalatedAt() == null && r.dueAt().isBefore(now))
                .toList());
    }
}
