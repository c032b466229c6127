package dev.airlock.auth;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.decision.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Issuing and revoking API keys, each audited: the command line, the configuration's declared keys and the bootstrap
 * admin key all go through here, so a key never appears or disappears without a {@code key.created} or
 * {@code key.revoked} event.
 *
 * <pre>{@code
 * var desk = new KeyDesk(store.keyStore(), new AuditTrail(store.auditChain(), clock), clock);
 * ApiKeys.Issued issued = desk.issue("acme", Role.APP, "loan-service", Duration.ofDays(90), "cli:ops");
 * switch (desk.revoke(issued.record().id(), "cli:ops")) {
 *     case Revocation.Revoked r -> show(r);
 *     case Revocation.NotActive n -> complain(n);
 * }
 * }</pre>
 */
public final class KeyDesk {
    private final KeyStore keys;
    private final AdminEvents trail;
    private final Clock clock;

    public KeyDesk(KeyStore keys, AdminEvents trail, Clock clock) {
        this.keys = keys;
        this.trail = trail;
        this.clock = clock;
    }

    /** A key the configuration declares, with the secret the operator chose; a null name stores as empty. */
    public record Declared(
            String id, String tenant, Role role, @Nullable String name, String secret) {}

    /** The outcome of revoking a key. */
    public sealed interface Revocation {
        /** Revoked now; it fails at once. {@code tenant} is null when the record could not be read back. */
        record Revoked(String id, @Nullable String tenant) implements Revocation {}

        /** No such key, or revoked already. */
        record NotActive(String id) implements Revocation {}
    }

    /** The outcome of applying the configuration's declared keys. */
    public sealed interface Declaration {
        /** Every declared key is in the store; {@code created} are the ids stored now. */
        record Applied(List<String> created) implements Declaration {}

        /** A key of that id is stored with another secret, tenant or role; nothing after it was applied. */
        record Conflict(String id) implements Declaration {}
    }

    /**
     * Makes a key, stores its hash and records {@code key.created}; the returned key string is the only copy.
     *
     * @param lifetime how long it works, or null for no expiry
     * @throws IllegalArgumentException when the tenant is not a valid tenant id
     */
    public ApiKeys.Issued issue(String tenant, Role role, String name, @Nullable Duration lifetime, String actor) {
        Instant now = clock.instant();
        Instant expires = lifetime == null ? null : now.plus(lifetime);
        var issued = ApiKeys.issue(tenant, role, name, now, expires);
        keys.insertKey(issued.record());
        trail.record(
                AdminAction.KEY_CREATED,
                tenant,
                actor,
                issued.record().id(),
                expires == null
                        ? Map.of("role", role.id(), "name", name)
                        : Map.of("role", role.id(), "name", name, "expires_at", expires.toString()));
        return issued;
    }

    /** Revokes an active key and records {@code key.revoked}. */
    public Revocation revoke(String id, String actor) {
        if (!keys.revokeKey(id, clock.instant())) {
            return new Revocation.NotActive(id);
        }
        String tenant = keys.findKey(id).map(ApiKeyRecord::tenant).orElse(null);
        trail.record(AdminAction.KEY_REVOKED, tenant, actor, id, Map.of());
        return new Revocation.Revoked(id, tenant);
    }

    /**
     * Stores the declared keys not stored yet (recorded as created by {@code config}); a key stored already with the
     * same secret, tenant and role is left as it is.
     *
     * @throws IllegalArgumentException when a declared id, tenant or secret is not valid
     */
    public Declaration applyDeclared(List<Declared> declared) {
        List<String> created = new ArrayList<>();
        for (Declared key : declared) {
            String name = Objects.requireNonNullElse(key.name(), "");
            var issued = ApiKeys.fromSecret(key.id(), key.tenant(), key.role(), name, key.secret(), clock.instant());
            Optional<ApiKeyRecord> existing = keys.findKey(key.id());
            if (existing.isEmpty()) {
                keys.insertKey(issued.record());
                trail.record(
                        AdminAction.KEY_CREATED,
                        key.tenant(),
                        "config",
                        key.id(),
                        Map.of(
                                "role",
                                issued.record().role().id(),
                                "name",
                                issued.record().name()));
                created.add(key.id());
            } else if (!sameKey(existing.get(), issued.record())) {
                return new Declaration.Conflict(key.id());
            }
        }
        return new Declaration.Applied(created);
    }

    private static boolean sameKey(ApiKeyRecord stored, ApiKeyRecord declared) {
        return stored.secretSha256().equals(declared.secretSha256())
                && stored.role() == declared.role()
                && stored.tenant().equals(declared.tenant());
    }

    /**
     * Makes an admin key for {@code tenant} when no active admin key exists, so that a fresh installation can be
     * administered; returns the key string to show once, or empty when there was an admin key.
     */
    public Optional<String> ensureAdmin(String tenant) {
        Instant now = clock.instant();
        boolean hasAdmin = keys.listKeys().stream().anyMatch(k -> k.role() == Role.ADMIN && k.activeAt(now));
        if (hasAdmin) {
            return Optional.empty();
        }
        var issued = ApiKeys.issue(tenant, Role.ADMIN, "bootstrap admin", now, null);
        keys.insertKey(issued.record());
        trail.record(
                AdminAction.KEY_CREATED,
                tenant,
                "airlock",
                issued.record().id(),
                Map.of("role", Role.ADMIN.id(), "name", "bootstrap admin"));
        return Optional.of(issued.key());
    }
}
