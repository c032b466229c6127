package dev.airlock.review;

import java.net.URI;

/**
 * How a decided review reaches the calling application: the server posts it to the caller's callback URL. Kept behind
 * this port so that the review desk holds no HTTP client.
 */
public interface ReviewCallback {
    /** Whether outcomes may be posted to this URL (its host must be allowed by {@code review.callback_hosts}). */
    boolean allowed(URI url);

    /** Reports a decided review to its {@link HeldReview#callbackUrl()}, if it has one; returns without waiting. */
    void send(HeldReview decided);

    /** No callbacks: none allowed, none sent. */
    static ReviewCallback none() {
        return new ReviewCallback() {
            @Override
            public boolean allowed(URI url) {
                return false;
            }

            @Override
            public void send(HeldReview decided) {}
        };
    }
}
