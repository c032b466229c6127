package dev.airlock.review;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Held reviews in a map, for core tests; passes {@link ReviewStoreContract}. Keeps text in the clear: the subject is
 * accepted and ignored, as there is no subject key to shred.
 */
public final class InMemoryReviewStore implements ReviewStore {
    private final Map<String, HeldReview> reviews = new LinkedHashMap<>();

    @Override
    public synchronized void insertReview(HeldReview review, String subject) {
        if (reviews.putIfAbsent(review.id(), review) != null) {
            throw new IllegalStateException("review id '" + review.id() + "' is already taken");
        }
    }

    @Override
    public synchronized Optional<HeldReview> findReview(String id) {
        return Optional.ofNullable(reviews.get(id));
    }

    @Override
    public synchronized List<HeldReview> reviews(String tenant, HeldReview.@Nullable State state, int limit) {
        return reviews.values().stream()
                .filter(r -> r.tenant().equals(tenant) && (state == null || r.state() == state))
                .sorted(Comparator.comparing(HeldReview::createdAt).thenComparing(HeldReview::id))
                .limit(limit)
                .toList();
    }

    /** Saved only over the state and claim it was made from, as the store does. */
    @Override
    public synchronized boolean updateReview(HeldReview before, HeldReview after) {
        HeldReview stored = reviews.get(after.id());
        if (stored == null
                || stored.state() != before.state()
                || !Objects.equals(stored.claimedBy(), before.claimedBy())) {
            return false;
        }
        reviews.put(after.id(), after);
        return true;
    }

    @Override
    public synchronized List<HeldReview> overdueReviews(Instant now) {
        return reviews.values().stream()
                .filter(r ->
                        r.state() == HeldReview.State.PENDING && !r.dueAt().isAfter(now) && r.escalatedAt() == null)
                .sorted(Comparator.comparing(HeldReview::dueAt).thenComparing(HeldReview::id))
                .toList();
    }
}
