package dev.airlock.provider;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A provider could not answer. {@link Kind} says why, so the pipeline can pick the status and decide on retry. */
public final class ProviderException extends RuntimeException {

    /** Why a provider failed. */
    public enum Kind {
        /** The provider could not be reached (connection refused, reset, DNS). */
        UNREACHABLE,
        /** The provider did not answer within the time allowed. */
        TIMEOUT,
        /** The provider answered with an error status. */
        STATUS,
        /** The provider answered with a body that is not what its protocol promises. */
        MALFORMED,
        /** The provider ran but failed inside (in-process models). */
        INTERNAL
    }

    private final Kind kind;
    private final int upstreamStatus;
    private final boolean afterFirstChunk;
    private final @Nullable Duration retryAfter;

    public ProviderException(
            Kind kind,
            int upstreamStatus,
            @Nullable String message,
            boolean afterFirstChunk,
            @Nullable Throwable cause) {
        this(kind, upstreamStatus, message, afterFirstChunk, null, cause);
    }

    /**
     * @param retryAfter how long the upstream asked callers to wait ({@code Retry-After}), or null
     */
    public ProviderException(
            Kind kind,
            int upstreamStatus,
            @Nullable String message,
            boolean afterFirstChunk,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.afterFirstChunk = afterFirstChunk;
        this.retryAfter = retryAfter;
    }

    public ProviderException(Kind kind, String message, @Nullable Throwable cause) {
        this(kind, 0, message, false, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the upstream answered with, or 0 when it gave none. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** True when a stream failed after the caller had received part of the answer. */
    public boolean afterFirstChunk() {
        return afterFirstChunk;
    }

    public ProviderException afterFirstChunk(boolean value) {
        return new ProviderException(kind, upstreamStatus, getMessage(), value, retryAfter, getCause());
    }

    /** How long the upstream asked callers to wait before trying again, or null when it did not say. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Whether trying again (later, or elsewhere) may succeed: the upstream was unreachable, slow, overloaded (429),
     * failing (5xx) or answered garbage. Requests it rejected (other 4xx) would fail the same way anywhere.
     */
    public boolean retryable() {
        return switch (kind) {
            case UNREACHABLE, TIMEOUT, MALFORMED -> true;
            case STATUS -> upstreamStatus == 429 || upstreamStatus == 408 || upstreamStatus >= 500;
            case INTERNAL -> false;
        };
    }
}
