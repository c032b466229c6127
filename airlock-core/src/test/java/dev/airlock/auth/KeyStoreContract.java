package dev.airlock.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.decision.Role;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KeyStore} must do: the store's tables on SQLite and PostgreSQL and {@link InMemoryKeyStore} all
 * pass it. A subclass hands out an empty key store for each test.
 */
public abstract class KeyStoreContract {
    /** Has nanoseconds, to show Instants round-trip exactly. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    /** An empty key store that only the calling test uses. */
    protected abstract KeyStore keys();

    @Test
    void insertKey_thenFindKey_returnsTheSameRecord() {
        var key = key("k1", T0, T0.plus(Duration.ofDays(90)));

        keys().insertKey(key);

        assertThat(keys().findKey("k1")).contains(key);
    }

    @Test
    void findKey_unknownId_isEmpty() {
        assertThat(keys().findKey("nope")).isEmpty();
    }

    @Test
    void listKeys_returnsAllKeys_oldestFirst() {
        var newer = key("b-newer", T0.plusSeconds(60), null);
        var older = key("a-older", T0, null);
        var middle = key("c-middle", T0.plusNanos(1), null);
        keys().insertKey(newer);
        keys().insertKey(older);
        keys().insertKey(middle);

        assertThat(keys().listKeys()).containsExactly(older, middle, newer);
    }

    @Test
    void listKeys_emptyStore_isEmpty() {
        assertThat(keys().listKeys()).isEmpty();
    }

    @Test
    void revokeKey_marksTheKeyRevokedOnce() {
        keys().insertKey(key("k1", T0, null));
        Instant at = T0.plus(Duration.ofHours(1)).plusNanos(7);

        assertThat(keys().revokeKey("k1", at)).isTrue();
        assertThat(keys().revokeKey("k1", at.plusSeconds(1))).isFalse();

        assertThat(keys().findKey("k1")).hasValueSatisfying(k -> {
            assertThat(k.revokedAt()).isEqualTo(at);
            assertThat(k.activeAt(at)).isFalse();
        });
    }

    @Test
    void revokeKey_unknownId_returnsFalse() {
        assertThat(keys().revokeKey("nope", T0)).isFalse();
    }

    @Test
    void insertKey_takenId_failsNamingTheId_andKeepsTheFirst() {
        var first = key("k1", T0, null);
        keys().insertKey(first);

        assertThatThrownBy(() -> keys().insertKey(key("k1", T0.plusSeconds(1), null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'k1'")
                .hasMessageContaining("already taken");
        assertThat(keys().listKeys()).containsExactly(first);
    }

    /** A key of tenant acme, with a fixed secret hash. */
    public static ApiKeyRecord key(String id, Instant createdAt, Instant expiresAt) {
        return new ApiKeyRecord(
                id, "acme", Role.APP, "loan-service " + id, "ab".repeat(32), createdAt, expiresAt, null);
    }
}
