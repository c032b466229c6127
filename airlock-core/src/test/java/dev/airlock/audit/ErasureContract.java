package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionLogContract;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Outcome;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Erasure} must do over the Decisions of its log and the chain they are in: the store on SQLite and
 * PostgreSQL and {@link InMemoryAuditChain} all pass it. Erasure removes what a Decision kept of a subject or past its
 * retention, keeps the digest the chain commits to, says so in the chain, and leaves the chain verifiable. What it
 * does to held reviews and to the rows themselves is tested on the store.
 */
public abstract class ErasureContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");
    private static final AuditSigner SIGNER = AuditSigner.generate();
    private static final String INPUT = "user: my IBAN is DE89370400440532013000\n";

    /** An empty decision log whose Decisions go into {@link #chain()}. */
    protected abstract DecisionLog log();

    /** The chain of {@link #log()}. */
    protected abstract AuditChain chain();

    /** The erasure over {@link #log()} and {@link #chain()}. */
    protected abstract Erasure erasure();

    private Decision recorded(String tenant, @Nullable String subject, @Nullable Instant keepUntil) {
        Decision d = DecisionLogContract.decision(tenant, T0, new Outcome.Answered())
                .withContent(Content.kept(INPUT, "Noted.", subject, keepUntil));
        log().append(d);
        return d;
    }

    private Content contentOf(Decision d) {
        Content content = log().findDecision(d.id()).orElseThrow().content();
        assertThat(content).as("content of " + d.id()).isNotNull();
        return content;
    }

    private List<AuditEvent> events(String action) {
        List<AuditEvent> found = new ArrayList<>();
        chain().searchEvents(null, null, null, e -> {
            if (e.action().equals(action)) {
                found.add(e);
            }
            return true;
        });
        return found;
    }

    private List<String> ofSubject(String tenant, String subject) {
        List<String> found = new ArrayList<>();
        log().searchDecisions(new DecisionQuery(tenant, null, null, null, null, subject), d -> found.add(d.id()));
        return found;
    }

    @Test
    void keptContent_readsBack_andIsFoundByItsSubject() {
        Decision d = recorded("acme", "customer-42", null);
        recorded("acme", "customer-7", null);

        assertThat(contentOf(d)).isEqualTo(new Content(Content.State.KEPT, INPUT, "Noted.", null, null));
        assertThat(ofSubject("acme", "customer-42")).containsExactly(d.id());
        assertThat(ofSubject("globex", "customer-42"))
                .as("subjects are per tenant")
                .isEmpty();
        assertThat(ChainVerifier.verify(chain())).isInstanceOf(ChainVerifier.Verification.Intact.class);
    }

    @Test
    void erasingASubject_makesTheirContentUnreadable_andKeepsEveryoneElses() {
        Decision erased = recorded("acme", "customer-42", null);
        Decision otherSubject = recorded("acme", "customer-7", null);
        Decision otherTenant = recorded("globex", "customer-42", null);
        Decision noSubject = recorded("acme", null, null);

        int records = erasure().eraseSubject("acme", "customer-42", "cli:dpo", T0.plusSeconds(10));

        assertThat(records).isEqualTo(1);
        assertThat(contentOf(erased)).isEqualTo(new Content(Content.State.ERASED, null, null, null, null));
        for (Decision kept : List.of(otherSubject, otherTenant, noSubject)) {
            assertThat(contentOf(kept).input()).as(kept.id()).isEqualTo(INPUT);
        }
        assertThat(ofSubject("acme", "customer-42")).isEmpty();
        assertThat(ofSubject("globex", "customer-42")).containsExactly(otherTenant.id());
    }

    @Test
    void erasingASubject_isRecordedInTheChain_withoutNamingTheSubject() {
        recorded("acme", "customer-42", null);
        recorded("acme", "customer-42", null);

        erasure().eraseSubject("acme", "customer-42", "cli:dpo", T0.plusSeconds(10));
        int again = erasure().eraseSubject("acme", "customer-42", "cli:dpo", T0.plusSeconds(20));

        assertThat(again).as("nothing readable is left").isZero();
        List<AuditEvent> erasures = events(AdminAction.SUBJECT_ERASED.id());
        assertThat(erasures).hasSize(2);
        assertThat(erasures.getFirst()).satisfies(e -> {
            assertThat(e.tenant()).isEqualTo("acme");
            assertThat(e.actor()).isEqualTo("cli:dpo");
            assertThat(e.at()).isEqualTo(T0.plusSeconds(10));
            assertThat(e.target()).isNotBlank().doesNotContain("customer-42");
            assertThat(e.details()).containsEntry("records", "2");
        });
        assertThat(erasures.getLast().details()).containsEntry("records", "0");
        assertThat(erasures.getLast().target()).isEqualTo(erasures.getFirst().target());
        assertThat(chain().chainSize()).isEqualTo(4);
    }

    @Test
    void anErasedSubject_canBeKeptAgainFromTheirNextRequest() {
        recorded("acme", "customer-42", null);
        erasure().eraseSubject("acme", "customer-42", "cli:dpo", T0.plusSeconds(10));

        Decision later = recorded("acme", "customer-42", null);

        assertThat(contentOf(later).state()).isEqualTo(Content.State.KEPT);
        assertThat(ofSubject("acme", "customer-42")).containsExactly(later.id());
    }

    @Test
    void thePurge_removesExpiredContentOnly_keepsTheDigest_andIsRecordedOnceWhenItRemovedSomething() {
        Decision expired = recorded("acme", null, T0.plusSeconds(60));
        Decision fresh = recorded("acme", "customer-9", T0.plusSeconds(3600));
        Decision forever = recorded("acme", null, null);

        assertThat(erasure().purgeExpiredContent(T0.plusSeconds(59), "airlock"))
                .as("nothing expired yet")
                .isZero();
        assertThat(erasure().purgeExpiredContent(T0.plusSeconds(60), "airlock")).isEqualTo(1);
        assertThat(erasure().purgeExpiredContent(T0.plusSeconds(61), "airlock")).isZero();

        assertThat(contentOf(expired))
                .isEqualTo(new Content(Content.State.PURGED, null, null, null, T0.plusSeconds(60)));
        assertThat(contentOf(fresh).state()).isEqualTo(Content.State.KEPT);
        assertThat(contentOf(forever).state()).isEqualTo(Content.State.KEPT);
        assertThat(chain().findLink(expired.id()).orElseThrow().record())
                .isInstanceOfSatisfying(AuditRecord.OfDecision.class, d -> {
                    assertThat(d.contentSha256())
                            .as("the digest the chain commits to")
                            .isNotNull();
                    assertThat(d.storedContent()).isNull();
                });
        assertThat(events(AdminAction.CONTENT_PURGED.id())).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("airlock");
            assertThat(e.details()).containsEntry("records", "1");
        });
    }

    @Test
    void afterErasureAndPurge_theSignedChainStillVerifies() {
        chain().addSigningKey(SIGNER.publicKey(T0));
        chain().sealWith(SIGNER);
        Map<String, PublicKey> keys =
                Map.of(SIGNER.keyId(), SIGNER.publicKey(T0).decode());
        var checkpointer = new Checkpointer(chain(), SIGNER, Clock.fixed(T0, ZoneOffset.UTC));
        recorded("acme", "customer-42", null);
        recorded("acme", null, T0.plusSeconds(60));
        recorded("acme", "customer-7", null);
        checkpointer.checkpoint().orElseThrow();

        erasure().eraseSubject("acme", "customer-42", "cli:dpo", T0.plusSeconds(10));
        erasure().purgeExpiredContent(T0.plusSeconds(60), "airlock");
        Checkpoint last = checkpointer.checkpoint().orElseThrow();

        assertThat(ChainVerifier.verify(chain(), keys))
                .as("three Decisions, one erasure, one purge")
                .isEqualTo(new ChainVerifier.Verification.Intact(5, last.head(), 2));
        assertThat(ChainVerifier.verifyDeep(chain(), keys)).isInstanceOf(ChainVerifier.Verification.Intact.class);
    }
}
