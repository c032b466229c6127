package dev.airlock.decision;

import java.util.Objects;

/** Who asked: the tenant and key behind a request, and the key's role. */
public record Principal(String tenant, String keyId, Role role) {
    public Principal {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(role, "role");
    }
}
