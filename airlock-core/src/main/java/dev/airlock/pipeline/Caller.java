package dev.airlock.pipeline;

import org.jspecify.annotations.Nullable;

/**
 * Who is calling and on whose behalf.
 *
 * @param credentials the API key as presented, or null
 * @param subject the data subject the request concerns (a customer or patient id), or null; content kept for a
 *     named subject is encrypted under that subject's key and can be erased with it
 */
public record Caller(
        @Nullable String credentials,
        @Nullable String subject,
        @Nullable String reviewCallback) {
    public Caller(@Nullable String credentials, @Nullable String subject) {
        this(credentials, subject, null);
    }

    public static Caller of(@Nullable String credentials) {
        return new Caller(credentials, null, null);
    }
}
