package dev.airlock.response;

import java.time.Instant;
import java.util.Optional;

/**
 * Where stored responses are kept, per tenant. Implementations: the embedded store and PostgreSQL (where the
 * retention purge and a subject's erasure remove them with the Decisions' content), and an in-memory one for tests.
 */
public interface ResponseStore {
    /**
     * Keeps a response; when this returns it survives a crash of this process.
     *
     * @throws IllegalStateException when a response with its id is already kept
     */
    void saveResponse(StoredResponse response);

    /**
     * The tenant's response with this id as of {@code now}: empty when there is none, it is another tenant's, its
     * retention ran out, or its data subject was erased.
     */
    Optional<StoredResponse> findResponse(String tenant, String id, Instant now);

    /** Deletes the tenant's response with this id; false when the tenant has none by that id. */
    boolean deleteResponse(String tenant, String id);
}
