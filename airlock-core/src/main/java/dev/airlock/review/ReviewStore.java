package dev.airlock.review;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Where held reviews are kept. */
public interface ReviewStore {
    /**
     * Keeps a held review; when {@code subject} is not null (the data subject the call named), what it holds is kept
     * encrypted under that subject's key and is erased with it.
     */
    void insertReview(HeldReview review, @Nullable String subject);

    Optional<HeldReview> findReview(String id);

    /** A tenant's reviews, oldest first; {@code state} null for all. */
    List<HeldReview> reviews(String tenant, HeldReview.@Nullable State state, int limit);

    /**
     * Saves a change to a review only if it is still as {@code before} left it (same state and claim), so two
     * reviewers cannot both decide it. Returns whether it was saved.
     */
    boolean updateReview(HeldReview before, HeldReview after);

    /** Pending reviews past their due time that were not escalated yet. */
    List<HeldReview> overdueReviews(Instant now);
}
