package dev.airlock.auth;

import dev.airlock.decision.Role;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored API key. The secret itself is never stored, only its SHA-256.
 *
 * @param id the public key id, also part of the key string
 * @param tenant the tenant the key acts for
 * @param role what the key may do
 * @param name a label for people, e.g. {@code loan-service prod}
 * @param secretSha256 hex SHA-256 of the key's secret part
 * @param createdAt when it was made
 * @param expiresAt when it stops working, or null for never
 * @param revokedAt when it was revoked, or null
 */
public record ApiKeyRecord(
        String id,
        String tenant,
        Role role,
        String name,
        String secretSha256,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt) {
    public ApiKeyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(secretSha256, "secretSha256");
        Objects.requireNonNull(createdAt, "createdAt");
        name = name == null ? "" : name;
    }

    /** Whether the key may be used at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
