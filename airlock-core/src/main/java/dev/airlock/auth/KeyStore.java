package dev.airlock.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live. Implementations: the embedded store and PostgreSQL. */
public interface KeyStore {
    /** Stores a new key. Fails if its id is taken. */
    void insertKey(ApiKeyRecord key);

    Optional<ApiKeyRecord> findKey(String id);

    /** All keys, oldest first. */
    List<ApiKeyRecord> listKeys();

    /** Marks a key revoked; returns false if there is no such key or it was already revoked. */
    boolean revokeKey(String id, Instant at);
}
