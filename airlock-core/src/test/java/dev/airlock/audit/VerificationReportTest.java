package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.VerificationReport.Note;
import dev.airlock.audit.VerificationReport.Outcome;
import dev.airlock.audit.VerificationReport.Request;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verification report over an in-memory chain: what it decides and what it notes. */
class VerificationReportTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryAuditChain chain = new InMemoryAuditChain();
    private final AuditSigner signer = AuditSigner.generate();
    private final Map<String, PublicKey> trusted =
            Map.of(signer.keyId(), signer.publicKey(AT).decode());

    private static AuditEvent event(int n, String target) {
        return new AuditEvent("ev" + n, AT.plusSeconds(n), "acme", "cli:ops", "key.created", target, Map.of());
    }

    private int appended;

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            appended++;
            chain.appendEvent(event(appended, "k" + appended));
        }
    }

    private Checkpoint checkpoint() {
        chain.addSigningKey(signer.publicKey(AT));
        return new Checkpointer(chain, signer, Clock.fixed(AT, ZoneOffset.UTC))
                .checkpointAcceptingUnsealed()
                .orElseThrow();
    }

    private Request request(boolean strict, Optional<Publication> publication, boolean required) {
        return new Request(trusted, Map.of(), false, strict, publication, required, new Progress());
    }

    private static Publication publishing(Publication.Read read) {
        return new Publication() {
            @Override
            public String where() {
                return "/var/airlock/audit-checkpoints.jsonl";
            }

            @Override
            public Read read() {
                return read;
            }
        };
    }

    @Test
    void anUntouchedSignedLog_isIntact() {
        append(5);
        checkpoint();

        var outcome = VerificationReport.of(chain, request(true, Optional.empty(), false));

        var intact = (Outcome.Intact) outcome;
        assertThat(intact.chain().records()).isEqualTo(5);
        assertThat(intact.chain().checkpoints()).isEqualTo(1);
        assertThat(intact.notes()).isEmpty();
    }

    @Test
    void aTamperedRecord_isBroken_atItsPosition() {
        append(5);
        chain.overwrite(3, event(3, "someone-else"));

        var outcome = VerificationReport.of(chain, request(false, Optional.empty(), false));

        var broken = (Outcome.Broken) outcome;
        assertThat(broken.at().seq()).isEqualTo(3);
        assertThat(broken.at().recordId()).isEqualTo("ev3");
    }

    @Test
    void recordsNoSignatureCovers_areNoted_andFailOnlyWhenStrict() {
        append(4);
        checkpoint();
        append(1);

        var lenient = VerificationReport.of(chain, request(false, Optional.empty(), false));
        var strict = VerificationReport.of(chain, request(true, Optional.empty(), false));

        assertThat(lenient).isInstanceOf(Outcome.Intact.class);
        assertThat(((Outcome.Intact) lenient).chain().unsigned()).containsExactly(new Span(5, 5));
        assertThat(strict).isInstanceOf(Outcome.Unsigned.class);
        assertThat(((Outcome.Unsigned) strict).sealsChecked()).isFalse();
    }

    @Test
    void publishedCheckpoints_theLogExtends_giveTheirCoverage_andNoteWhatIsSignedButNotPublished() {
        append(3);
        Checkpoint first = checkpoint();
        append(3);
        checkpoint();

        var outcome = VerificationReport.of(
                chain, request(true, Optional.of(publishing(new Publication.Read.Found(List.of(first)))), true));

        var intact = (Outcome.Intact) outcome;
        assertThat(intact.published())
                .contains(new VerificationReport.Coverage("/var/airlock/audit-checkpoints.jsonl", 1, 3, 6));
        assertThat(intact.notes()).containsExactly(new Note.SignedNotPublished(4, 6));
    }

    @Test
    void aPublishedCheckpointTheStoreLost_isBroken() {
        append(3);
        Checkpoint published = checkpoint();
        var emptied = new InMemoryAuditChain();
        for (int n = 1; n <= 3; n++) {
            emptied.appendEvent(event(n, "k" + n));
        }

        var outcome = VerificationReport.of(
                emptied, request(false, Optional.of(publishing(new Publication.Read.Found(List.of(published)))), true));

        assertThat(((Outcome.Broken) outcome).at().recordId()).isEqualTo("published@3");
    }

    @Test
    void aMissingPublication_isUnverifiableWhenNamed_andNotedWhenOnlyConfigured() {
        append(2);
        var missing = Optional.of(publishing(new Publication.Read.Absent()));

        var named = VerificationReport.of(chain, request(false, missing, true));
        var configured = VerificationReport.of(chain, request(false, missing, false));

        assertThat(named)
                .isEqualTo(new Outcome.Unverifiable(
                        "no published checkpoints at /var/airlock/audit-checkpoints.jsonl", List.of()));
        assertThat(configured.notes())
                .containsExactly(new Note.NothingPublishedYet("/var/airlock/audit-checkpoints.jsonl"));
    }

    @Test
    void anUnreadablePublication_isUnverifiable_namingTheProblem() {
        var outcome = VerificationReport.of(
                chain,
                request(false, Optional.of(publishing(new Publication.Read.Unreadable("line 2 is not JSON"))), false));

        assertThat(outcome).isEqualTo(new Outcome.Unverifiable("line 2 is not JSON", List.of()));
    }

    @Test
    void withNoKeysToTrust_theStoresKeysAreUsed_andThatIsNoted() {
        append(2);
        checkpoint();

        var outcome = VerificationReport.of(
                chain, new Request(Map.of(), Map.of(), false, false, Optional.empty(), false, new Progress()));

        assertThat(outcome).isInstanceOf(Outcome.Intact.class);
        assertThat(outcome.notes()).containsExactly(new Note.StoreKeysTrusted());
    }
}
