package dev.airlock.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReviewStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryReviewStore} all
 * pass it. Encryption of a named subject's reviews and their erasure need the store's subject keys and are tested
 * there.
 */
public abstract class ReviewStoreContract {
    /** An empty review store that only the calling test uses. */
    protected abstract ReviewStore reviews();

    @Test
    void reviews_roundTrip_andAChangeIsSavedOnlyOverTheStateItWasMadeFrom() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00.5Z");
        var held = held("rv_1", "d1", List.of("ADVERSE_ACTION"), "{\"a\":1}", t0, t0.plusSeconds(60));
        reviews().insertReview(held, null);

        assertThat(reviews().findReview("rv_1")).contains(held);
        var claimed = held.claimed("key:rev1");
        assertThat(reviews().updateReview(held, claimed)).isTrue();
        assertThat(reviews().updateReview(held, held.claimed("key:rev2")))
                .as("stale: it was claimed meanwhile")
                .isFalse();
        var approved = claimed.decided(HeldReview.State.APPROVED, "key:rev1", "ok", "{\"a\":1}", t0.plusSeconds(5));
        assertThat(reviews().updateReview(claimed, approved)).isTrue();
        assertThat(reviews().findReview("rv_1")).contains(approved);
        assertThat(approved.input())
                .as("what the reviewer read is dropped once decided")
                .isNull();
        assertThat(reviews().reviews("acme", HeldReview.State.PENDING, 10)).isEmpty();
        assertThat(reviews().reviews("acme", null, 10)).containsExactly(approved);
        assertThat(reviews().reviews("globex", null, 10)).isEmpty();

        var late = held("rv_2", "d2", List.of(), null, t0, t0.plusSeconds(1));
        reviews().insertReview(late, null);
        assertThat(reviews().overdueReviews(t0)).isEmpty();
        assertThat(reviews().overdueReviews(t0.plusSeconds(2)))
                .extracting(HeldReview::id)
                .containsExactly("rv_2");
        assertThat(reviews().updateReview(late, late.escalated(t0.plusSeconds(2))))
                .isTrue();
        assertThat(reviews().overdueReviews(t0.plusSeconds(3))).isEmpty();
    }

    @Test
    void reviews_areListedOldestFirst_upToTheLimit() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        var newer = held("rv_b", "d2", List.of(), null, t0.plusSeconds(1), t0.plusSeconds(60));
        var older = held("rv_a", "d1", List.of(), null, t0, t0.plusSeconds(60));
        reviews().insertReview(newer, null);
        reviews().insertReview(older, null);

        assertThat(reviews().reviews("acme", HeldReview.State.PENDING, 10)).containsExactly(older, newer);
        assertThat(reviews().reviews("acme", null, 1)).containsExactly(older);
        assertThat(reviews().findReview("rv_nope")).isEmpty();
    }

    private static HeldReview held(
            String id, String decisionId, List<String> reasons, String answerBody, Instant at, Instant due) {
        return new HeldReview(
                id,
                decisionId,
                "acme",
                "app1",
                "letters",
                "2",
                reasons,
                "in",
                "out",
                answerBody,
                null,
                at,
                due,
                HeldReview.State.PENDING,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
