package dev.airlock.pipeline;

/**
 * Who is calling and on whose behalf.
 *
 * @param credentials the API key as presented, or null
 * @param subject the data subject the request concerns (a customer or patient id), or null; content kept for a
 *     named subject is encrypted under that subject's key and can be erased with it
 */
public record Caller(String credentials, String subject, String reviewCallback) {
    public Caller(String credentials, String subject) {
        this(credentials, subject, null);
    }

    public static Caller of(String credentials) {
        return new Caller(credentials, null, null);
    }
}
