package dev.airlock.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.ChainVerifier;
import dev.airlock.audit.InMemoryAuditChain;
import dev.airlock.decision.Role;
import dev.airlock.time.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key desk on in-memory ports: what it stores, what it audits, and what it refuses. */
class KeyDeskTest {
    private static final String SECRET = "s3cret-s3cret-s3cret-s3cret";

    private final FakeTime time = new FakeTime();
    private final InMemoryKeyStore keys = new InMemoryKeyStore();
    private final InMemoryAuditChain chain = new InMemoryAuditChain();
    private final KeyDesk desk = new KeyDesk(keys, new AuditTrail(chain, time.clock()), time.clock());

    private List<AuditEvent> events() {
        List<AuditEvent> events = new ArrayList<>();
        chain.searchEvents(null, null, null, events::add);
        return events;
    }

    @Test
    void issue_storesOnlyTheHash_expiresAfterItsLifetime_andIsAudited() {
        var issued = desk.issue("acme", Role.APP, "loan-service", Duration.ofDays(90), "cli:ops");

        ApiKeyRecord stored = keys.findKey(issued.record().id()).orElseThrow();
        assertThat(stored.secretSha256()).isNotBlank();
        assertThat(issued.key()).doesNotContain(stored.secretSha256()).startsWith("ak_" + stored.id() + "_");
        assertThat(stored.expiresAt()).isEqualTo(FakeTime.DEFAULT_START.plus(Duration.ofDays(90)));
        var presented = ApiKeys.parse(issued.key()).orElseThrow();
        assertThat(ApiKeys.matches(stored, presented.secret())).isTrue();
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("key.created");
            assertThat(e.tenant()).isEqualTo("acme");
            assertThat(e.actor()).isEqualTo("cli:ops");
            assertThat(e.target()).isEqualTo(stored.id());
            assertThat(e.details())
                    .containsEntry("role", "app")
                    .containsEntry("name", "loan-service")
                    .containsEntry("expires_at", "2026-04-01T00:00:00Z");
        });
        assertThat(ChainVerifier.verify(chain)).isInstanceOf(ChainVerifier.Verification.Intact.class);
    }

    @Test
    void issue_withoutLifetime_neverExpires() {
        var issued = desk.issue("acme", Role.AUDITOR, "", null, "cli:ops");

        assertThat(issued.record().expiresAt()).isNull();
        assertThat(events().getFirst().details()).doesNotContainKey("expires_at");
    }

    @Test
    void issue_forAnInvalidTenant_failsNamingIt_andStoresNothing() {
        assertThatThrownBy(() -> desk.issue("Acme Corp", Role.APP, "", null, "cli:ops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant 'Acme Corp'");
        assertThat(keys.listKeys()).isEmpty();
        assertThat(events()).isEmpty();
    }

    @Test
    void revoke_anActiveKey_revokesItOnce_andAuditsIt() {
        var issued = desk.issue("acme", Role.APP, "", null, "cli:ops");
        String id = issued.record().id();
        time.advance(Duration.ofMinutes(5));

        assertThat(desk.revoke(id, "cli:ops")).isEqualTo(new KeyDesk.Revocation.Revoked(id, "acme"));
        assertThat(desk.revoke(id, "cli:ops")).isEqualTo(new KeyDesk.Revocation.NotActive(id));
        assertThat(desk.revoke("nope", "cli:ops")).isEqualTo(new KeyDesk.Revocation.NotActive("nope"));

        assertThat(keys.findKey(id).orElseThrow().revokedAt()).isEqualTo(FakeTime.DEFAULT_START.plusSeconds(300));
        assertThat(events()).extracting(AuditEvent::action).containsExactly("key.created", "key.revoked");
        assertThat(events().getLast().target()).isEqualTo(id);
    }

    @Test
    void declaredKeys_areStoredOnce_asCreatedByTheConfiguration() {
        var declared = List.of(new KeyDesk.Declared("loan-app", "acme", Role.APP, "loan app", SECRET));

        assertThat(desk.applyDeclared(declared)).isEqualTo(new KeyDesk.Declaration.Applied(List.of("loan-app")));
        assertThat(desk.applyDeclared(declared))
                .as("applied again, as on the next start")
                .isEqualTo(new KeyDesk.Declaration.Applied(List.of()));

        assertThat(keys.findKey("loan-app").orElseThrow().role()).isEqualTo(Role.APP);
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("config");
            assertThat(e.target()).isEqualTo("loan-app");
        });
    }

    @Test
    void aDeclaredKeyWithoutName_isStoredWithAnEmptyName() {
        desk.applyDeclared(List.of(new KeyDesk.Declared("ops-key", "acme", Role.OPERATOR, null, SECRET)));

        assertThat(keys.findKey("ops-key").orElseThrow().name()).isEmpty();
        assertThat(events().getFirst().details()).containsEntry("name", "");
    }

    @Test
    void aDeclaredKeyStoredWithAnotherSecretOrRole_isAConflict() {
        desk.applyDeclared(List.of(new KeyDesk.Declared("loan-app", "acme", Role.APP, "loan app", SECRET)));

        assertThat(desk.applyDeclared(
                        List.of(new KeyDesk.Declared("loan-app", "acme", Role.ADMIN, "loan app", SECRET))))
                .isEqualTo(new KeyDesk.Declaration.Conflict("loan-app"));
        assertThat(desk.applyDeclared(
                        List.of(new KeyDesk.Declared("loan-app", "acme", Role.APP, "loan app", SECRET + "-other"))))
                .isEqualTo(new KeyDesk.Declaration.Conflict("loan-app"));
        assertThat(events()).hasSize(1);
    }

    @Test
    void ensureAdmin_makesOneAdminKeyOnlyWhenNoneIsActive() {
        String key = desk.ensureAdmin("ops").orElseThrow();

        assertThat(desk.ensureAdmin("ops")).isEmpty();
        String id = ApiKeys.parse(key).orElseThrow().id();
        assertThat(keys.findKey(id).orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("airlock");
            assertThat(e.details()).containsEntry("name", "bootstrap admin");
        });

        desk.revoke(id, "cli:ops");
        assertThat(desk.ensureAdmin("ops")).as("the only admin key was revoked").isPresent();
    }
}
