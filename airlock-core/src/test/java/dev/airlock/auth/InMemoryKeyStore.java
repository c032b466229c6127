package dev.airlock.auth;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API keys in a map, for core tests; passes {@link KeyStoreContract}. */
public final class InMemoryKeyStore implements KeyStore {
    private final Map<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();

    @Override
    public void insertKey(ApiKeyRecord key) {
        if (keys.putIfAbsent(key.id(), key) != null) {
            throw new IllegalStateException("API key id '" + key.id() + "' is already taken");
        }
    }

    @Override
    public Optional<ApiKeyRecord> findKey(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public List<ApiKeyRecord> listKeys() {
        return keys.values().stream()
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::id))
                .toList();
    }

    @Override
    public synchronized boolean revokeKey(String id, Instant at) {
        ApiKeyRecord k = keys.get(id);
        if (k == null || k.revokedAt() != null) {
            return false;
        }
        keys.put(
                id,
                new ApiKeyRecord(
                        k.id(), k.tenant(), k.role(), k.name(), k.secretSha256(), k.createdAt(), k.expiresAt(), at));
        return true;
    }
}
