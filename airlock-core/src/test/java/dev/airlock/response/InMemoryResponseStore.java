package dev.airlock.response;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Stored responses in a map, for tests of what uses the port; passes {@link ResponseStoreContract}. */
public final class InMemoryResponseStore implements ResponseStore {
    private final Map<String, StoredResponse> responses = new ConcurrentHashMap<>();

    @Override
    public void saveResponse(StoredResponse response) {
        if (responses.putIfAbsent(response.id(), response.withoutSubject()) != null) {
            throw new IllegalStateException("response '" + response.id() + "' is already stored");
        }
    }

    @Override
    public Optional<StoredResponse> findResponse(String tenant, String id, Instant now) {
        return Optional.ofNullable(responses.get(id))
                .filter(r -> r.tenant().equals(tenant))
                .filter(r -> r.liveAt(now));
    }

    @Override
    public boolean deleteResponse(String tenant, String id) {
        StoredResponse kept = responses.get(id);
        return kept != null && kept.tenant().equals(tenant) && responses.remove(id, kept);
    }
}
