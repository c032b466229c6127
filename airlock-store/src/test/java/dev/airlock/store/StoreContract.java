package dev.airlock.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.alert.AlertStore;
import dev.airlock.alert.AlertStoreContract;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditChainContract;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditHash;
import dev.airlock.audit.AuditRecord;
import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.ChainLink;
import dev.airlock.audit.ChainVerifier;
import dev.airlock.audit.Checkpoint;
import dev.airlock.audit.Checkpointer;
import dev.airlock.audit.ConsistencyProof;
import dev.airlock.audit.Erasure;
import dev.airlock.audit.ErasureContract;
import dev.airlock.audit.InclusionProof;
import dev.airlock.audit.MerkleTree;
import dev.airlock.audit.Progress;
import dev.airlock.audit.Span;
import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.auth.KeyStore;
import dev.airlock.auth.KeyStoreContract;
import dev.airlock.cost.SpendSource;
import dev.airlock.cost.SpendSourceContract;
import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionLogContract;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Role;
import dev.airlock.decision.UnstorableText;
import dev.airlock.decision.Usage;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.deploy.DeploymentStoreContract;
import dev.airlock.deploy.ServedVersions;
import dev.airlock.deploy.ServedVersionsContract;
import dev.airlock.incident.IncidentStore;
import dev.airlock.incident.IncidentStoreContract;
import dev.airlock.monitor.ProfileStore;
import dev.airlock.monitor.ProfileStoreContract;
import dev.airlock.monitor.outcome.OutcomeStore;
import dev.airlock.monitor.outcome.OutcomeStoreContract;
import dev.airlock.monitor.retrain.RetrainStore;
import dev.airlock.monitor.retrain.RetrainStoreContract;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.pipeline.ShadowLogContract;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.EvidenceStoreContract;
import dev.airlock.registry.ConfigRevisions;
import dev.airlock.registry.ConfigRevisionsContract;
import dev.airlock.response.ResponseStore;
import dev.airlock.response.ResponseStoreContract;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.retrieval.DocumentStoreContract;
import dev.airlock.review.HeldReview;
import dev.airlock.review.ReviewStore;
import dev.airlock.review.ReviewStoreContract;
import dev.airlock.workflow.RunStore;
import dev.airlock.workflow.RunStoreContract;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, whatever database is behind it. A subclass says where an empty database
 * for one test is; each test opens a store on it.
 */
public abstract class StoreContract {
    /** Has nanoseconds, to show Instants round-trip exactly. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    private TestDatabase database;
    /** The store under test, open on {@link #database}. */
    protected Store store;

    /** An empty database that only the calling test uses. */
    protected abstract TestDatabase emptyDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        database = emptyDatabase();
        store = database.open();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Closes the store and opens a new one on the same database. */
    protected Store reopen() {
        store.close();
        store = database.open();
        return store;
    }

    /** The database under the store, for looking at it directly. */
    protected TestDatabase database() {
        return database;
    }

    // --- the port contracts, each on this store

    @Nested
    class Spend extends SpendSourceContract {
        @Override
        protected DecisionLog log() {
            return store.decisionLog();
        }

        @Override
        protected SpendSource spend() {
            return store.spendSource();
        }
    }

    @Nested
    class Keys extends KeyStoreContract {
        @Override
        protected KeyStore keys() {
            return store.keyStore();
        }
    }

    @Nested
    class Decisions extends DecisionLogContract {
        @Override
        protected DecisionLog log() {
            return store.decisionLog();
        }
    }

    @Nested
    class Profiles extends ProfileStoreContract {
        @Override
        protected ProfileStore profiles() {
            return store.profileStore();
        }
    }

    @Nested
    class Deployments extends DeploymentStoreContract {
        @Override
        protected DeploymentStore deployments() {
            return store.deploymentStore();
        }
    }

    @Nested
    class Served extends ServedVersionsContract {
        @Override
        protected ServedVersions served() {
            return store.servedVersions();
        }
    }

    @Nested
    class Shadows extends ShadowLogContract {
        @Override
        protected ShadowComparison.Log shadows() {
            return store.shadowLog();
        }
    }

    @Nested
    class Revisions extends ConfigRevisionsContract {
        @Override
        protected ConfigRevisions revisions() {
            return store.configRevisions();
        }
    }

    @Nested
    class Reviews extends ReviewStoreContract {
        @Override
        protected ReviewStore reviews() {
            return store.reviewStore();
        }
    }

    @Nested
    class Documents extends DocumentStoreContract {
        @Override
        protected DocumentStore documents() {
            return store.documentStore();
        }
    }

    @Nested
    class Chain extends AuditChainContract {
        @Override
        protected AuditChain chain() {
            return store.auditChain();
        }

        @Override
        protected AuditChain reopened() {
            return reopen().auditChain();
        }
    }

    @Nested
    class Erasures extends ErasureContract {
        @Override
        protected DecisionLog log() {
            return store.decisionLog();
        }

        @Override
        protected AuditChain chain() {
            return store.auditChain();
        }

        @Override
        protected Erasure erasure() {
            return store.erasure();
        }
    }

    @Nested
    class Evidence extends EvidenceStoreContract {
        @Override
        protected EvidenceStore evidence() {
            return store.evidenceStore();
        }
    }

    @Nested
    class Alerts extends AlertStoreContract {
        @Override
        protected AlertStore alerts() {
            return store.alertStore();
        }
    }

    @Nested
    class Incidents extends IncidentStoreContract {
        @Override
        protected IncidentStore incidents() {
            return store.incidentStore();
        }
    }

    @Nested
    class Outcomes extends OutcomeStoreContract {
        @Override
        protected OutcomeStore outcomes() {
            return store.outcomeStore();
        }
    }

    @Nested
    class Retraining extends RetrainStoreContract {
        @Override
        protected RetrainStore retrainStore() {
            return store.retrainStore();
        }
    }

    @Nested
    class WorkflowRuns extends RunStoreContract {
        @Override
        protected RunStore runs() {
            return store.runStore();
        }
    }

    @Nested
    class Responses extends ResponseStoreContract {
        @Override
        protected ResponseStore responses() {
            return store.responseStore();
        }
    }

    @Test
    void storedResponses_goWithTheirSubjectsErasure_andWithExpiredContent() throws Exception {
        Instant until = T0.plusSeconds(3600);
        store.responseStore().saveResponse(ResponseStoreContract.response("resp_s", "acme", null, "customer-42"));
        store.responseStore().saveResponse(ResponseStoreContract.response("resp_t", "acme", until, null));
        store.responseStore().saveResponse(ResponseStoreContract.response("resp_k", "acme", null, null));
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT body FROM responses WHERE id = 'resp_s'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("body"))
                    .as("sealed under the subject's key")
                    .doesNotContain("DE89");
        }

        store.erasure().eraseSubject("acme", "customer-42", "dpo", T0);
        store.erasure().purgeExpiredContent(until, "airlock");

        assertThat(store.responseStore().findResponse("acme", "resp_s", T0)).isEmpty();
        assertThat(store.responseStore().findResponse("acme", "resp_t", T0))
                .as("purged, not only hidden")
                .isEmpty();
        assertThat(store.responseStore().findResponse("acme", "resp_k", until)).isPresent();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM responses")) {
            List<String> left = new ArrayList<>();
            while (rows.next()) {
                left.add(rows.getString("id"));
            }
            assertThat(left).containsExactly("resp_k");
        }
    }

    // --- keys

    @Test
    void insertKey_instantBeyondStorableRange_failsNamingTheField() {
        var key = key("k1", T0).withExpiry(Instant.parse("9999-12-31T00:00:00Z"));

        assertThatThrownBy(() -> store.keyStore().insertKey(key.record()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expiresAt 9999-12-31T00:00:00Z");
        assertThat(store.keyStore().findKey("k1")).isEmpty();
    }

    // --- decisions

    @Test
    void aDecisionTheDatabaseRefuses_failsAlone_andTheRestOfItsBatchIsRecorded() {
        Decision first = decision("acme", T0, new Outcome.Answered());
        Decision unwritable = decision("globex", Instant.parse("+100000-01-01T00:00:00Z"), new Outcome.Answered());
        Decision last = decision("acme", T0.plusSeconds(1), new Outcome.Answered());
        List<GroupCommit.Pending> batch = Stream.of(first, unwritable, last)
                .map(d -> new GroupCommit.Pending(d, new CompletableFuture<>()))
                .toList();

        GroupCommit.writeIsolating(((SqlStore) store).decisionTable(), batch);

        assertThat(batch.get(0).committed()).isCompleted().isNotCompletedExceptionally();
        assertThat(batch.get(1).committed()).isCompletedExceptionally();
        assertThat(batch.get(2).committed()).isCompleted().isNotCompletedExceptionally();
        assertThat(store.decisionLog().findDecision(first.id())).contains(first);
        assertThat(store.decisionLog().findDecision(last.id())).contains(last);
        assertThat(store.decisionLog().findDecision(unwritable.id())).isEmpty();
        assertThat(ChainVerifier.verify(store.auditChain())).isInstanceOf(ChainVerifier.Verification.Intact.class);
    }

    @Test
    void aDecisionWithTextNoStoreCanHold_isRefusedBeforeItIsWritten_namingTheField() {
        Decision answered = decision("acme", T0, new Outcome.Answered());
        Decision nul = altered(answered, "loan\0risk", answered.usage());

        assertThatThrownBy(() -> store.decisionLog().append(nul))
                .isInstanceOf(UnstorableText.class)
                .hasMessageContaining("model contains U+0000");
        store.decisionLog().append(decision("acme", T0, new Outcome.Answered()));
        assertThat(store.decisionLog().findDecision(nul.id())).isEmpty();
    }

    // --- opening again

    @Test
    void reopening_keepsKeysAndDecisions() {
        var key = key("k1", T0).record();
        Decision decision = decision("acme", T0, new Outcome.Answered());
        store.keyStore().insertKey(key);
        store.decisionLog().append(decision);

        reopen();

        assertThat(store.keyStore().findKey("k1")).contains(key);
        assertThat(store.decisionLog().findDecision(decision.id())).contains(decision);
    }

    private static HeldReview heldReview(String id, Instant at) {
        return new HeldReview(
                id,
                "d-" + id,
                "acme",
                "app1",
                "letters",
                "2",
                List.of("ADVERSE_ACTION"),
                "user: my IBAN is DE89370400440532013000",
                "Dear Ms Weber, your loan is declined.",
                "{\"choices\":[{\"message\":{\"content\":\"Dear Ms Weber\"}}]}",
                null,
                at,
                at.plusSeconds(60),
                HeldReview.State.PENDING,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private Map<String, String> rawReview(String id) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT input, output, answer_body, final_body FROM reviews WHERE id = '" + id + "'")) {
            assertThat(row.next()).isTrue();
            Map<String, String> raw = new HashMap<>();
            for (String column : List.of("input", "output", "answer_body", "final_body")) {
                raw.put(column, row.getString(column));
            }
            return raw;
        }
    }

    @Test
    void aReviewOfANamedSubject_isKeptEncrypted_andErasingTheSubjectEndsAndEmptiesIt() throws Exception {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        var pending = heldReview("rv_p", t0);
        var decided = heldReview("rv_d", t0);
        var other = heldReview("rv_o", t0);
        store.reviewStore().insertReview(pending, "customer-42");
        store.reviewStore().insertReview(decided, "customer-42");
        store.reviewStore().insertReview(other, "customer-7");

        assertThat(store.reviewStore().findReview("rv_p")).contains(pending);
        assertThat(rawReview("rv_p").values())
                .allSatisfy(v -> assertThat(v)
                        .satisfiesAnyOf(
                                x -> assertThat(x).isNull(),
                                x -> assertThat(x).startsWith("enc:v1:").doesNotContain("DE89", "Weber")));
        var claimed = decided.claimed("key:rev1");
        assertThat(store.reviewStore().updateReview(decided, claimed)).isTrue();
        var approved = claimed.decided(HeldReview.State.APPROVED, "key:rev1", "ok", decided.answerBody(), t0);
        assertThat(store.reviewStore().updateReview(claimed, approved)).isTrue();
        assertThat(store.reviewStore().findReview("rv_d")).contains(approved);
        assertThat(rawReview("rv_d").get("final_body")).startsWith("enc:v1:").doesNotContain("Weber");

        store.erasure().eraseSubject("acme", "customer-42", "cli:dpo", t0.plusSeconds(10));

        var ended = store.reviewStore().findReview("rv_p").orElseThrow();
        assertThat(ended.state()).isEqualTo(HeldReview.State.REJECTED);
        assertThat(ended.comment()).contains("erased");
        assertThat(ended.input()).isNull();
        assertThat(ended.answerBody()).isNull();
        assertThat(store.reviewStore().findReview("rv_d").orElseThrow().finalBody())
                .isNull();
        assertThat(rawReview("rv_d").values()).containsOnlyNulls();
        assertThat(store.reviewStore().findReview("rv_o"))
                .as("another subject's review")
                .contains(other);
    }

    @Test
    void aReviewWithoutSubject_keepsTextThatMerelyLooksSealed() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        var held = heldReview("rv_plain", t0);
        var looksSealed = new HeldReview(
                held.id(),
                held.decisionId(),
                held.tenant(),
                held.keyId(),
                held.model(),
                held.modelVersion(),
                held.reasons(),
                "enc:v1:x=1",
                "enc:v1: harmful text",
                held.answerBody(),
                null,
                t0,
                t0.plusSeconds(60),
                held.state(),
                null,
                null,
                null,
                null,
                null,
                null);
        store.reviewStore().insertReview(looksSealed, null);

        assertThat(store.reviewStore().findReview("rv_plain")).contains(looksSealed);
    }

    @Test
    void erasingASubject_reachesReviewsHeldBeforeReviewsKeptTheirSubject() throws Exception {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        Decision decision = withContent("customer-42", null);
        store.decisionLog().append(decision);
        var held = heldReview("rv_legacy", t0);
        var legacy = new HeldReview(
                held.id(),
                decision.id(),
                held.tenant(),
                held.keyId(),
                held.model(),
                held.modelVersion(),
                held.reasons(),
                held.input(),
                held.output(),
                held.answerBody(),
                null,
                t0,
                t0.plusSeconds(60),
                held.state(),
                null,
                null,
                null,
                null,
                null,
                null);
        store.reviewStore().insertReview(legacy, null); // as a review held before V13 was stored: in clear, no subject

        store.erasure().eraseSubject("acme", "customer-42", "cli:dpo", t0.plusSeconds(10));

        var ended = store.reviewStore().findReview("rv_legacy").orElseThrow();
        assertThat(ended.state()).isEqualTo(HeldReview.State.REJECTED);
        assertThat(rawReview("rv_legacy").values()).containsOnlyNulls();
        List<AuditEvent> erasures = new ArrayList<>();
        store.auditChain().searchEvents("acme", null, null, e -> {
            if (e.action().equals("subject.erased")) {
                erasures.add(e);
            }
            return true;
        });
        assertThat(erasures)
                .singleElement()
                .satisfies(e -> assertThat(e.details())
                        .containsEntry("records", "1")
                        .containsEntry("reviews_ended", "1")
                        .containsEntry("reviews_cleared", "1"));
    }

    @Test
    void reopening_appliesEachMigrationOnce() throws Exception {
        reopen();
        reopen();

        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            List<String> applied = new ArrayList<>();
            while (rows.next()) {
                applied.add(rows.getString("version") + (rows.getBoolean("success") ? " ok" : " failed"));
            }
            assertThat(applied)
                    .containsExactly(
                            "1 ok", "2 ok", "3 ok", "4 ok", "5 ok", "6 ok", "7 ok", "8 ok", "9 ok", "10 ok", "11 ok",
                            "12 ok", "13 ok", "14 ok", "15 ok", "16 ok", "17 ok", "18 ok", "19 ok", "20 ok", "22 ok",
                            "23 ok", "24 ok", "25 ok", "27 ok", "28 ok");
        }
    }

    // --- search

    // --- audit chain

    private List<Decision> appendChain(int count) {
        List<Decision> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Decision d = decision("acme", T0.plusSeconds(i), new Outcome.Answered());
            store.decisionLog().append(d);
            appended.add(d);
        }
        return appended;
    }

    private void tamper(String... statements) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.executeUpdate(sql);
            }
        }
    }

    /** Rewrites the canonical bytes of the record at {@code seq} as those of {@code change} applied to it. */
    private void rewriteRecord(String table, long seq, UnaryOperator<AuditRecord> change) throws Exception {
        try (Connection connection = database.connect()) {
            byte[] canonical;
            try (var read = connection.prepareStatement("SELECT canonical FROM " + table + " WHERE seq = ?")) {
                read.setLong(1, seq);
                try (ResultSet row = read.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    canonical = row.getBytes(1);
                }
            }
            try (var write = connection.prepareStatement("UPDATE " + table + " SET canonical = ? WHERE seq = ?")) {
                write.setBytes(1, AuditHash.canonical(change.apply(AuditHash.decode(canonical))));
                write.setLong(2, seq);
                assertThat(write.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private static AuditRecord changeDecision(AuditRecord record, UnaryOperator<Decision> change) {
        var held = (AuditRecord.OfDecision) record;
        return new AuditRecord.OfDecision(change.apply(held.decision()), held.contentSha256(), null);
    }

    private static Decision altered(Decision d, String model, Usage usage) {
        return new Decision(
                d.id(),
                d.startedAt(),
                d.principal(),
                d.kind(),
                model,
                d.modelVersion(),
                d.provider(),
                d.upstreamModel(),
                d.stream(),
                d.outcome(),
                usage,
                d.cost(),
                d.latencyMicros(),
                d.upstreamMicros(),
                d.inputSha256(),
                d.outputSha256(),
                d.reasons(),
                d.notes(),
                null);
    }

    private ChainVerifier.Verification.Broken broken() {
        var result = ChainVerifier.verify(store.auditChain());
        assertThat(result).isInstanceOf(ChainVerifier.Verification.Broken.class);
        return (ChainVerifier.Verification.Broken) result;
    }

    @Test
    void auditChain_overAppendedDecisions_verifies_andContinuesAfterReopening() {
        appendChain(3);
        reopen();
        appendChain(2);

        var result = ChainVerifier.verify(store.auditChain());

        assertThat(result).isInstanceOf(ChainVerifier.Verification.Intact.class);
        assertThat(((ChainVerifier.Verification.Intact) result).records()).isEqualTo(5);
    }

    @Test
    void auditChain_emptyStore_isIntactWithNoRecords() {
        assertThat(ChainVerifier.verify(store.auditChain()))
                .isEqualTo(new ChainVerifier.Verification.Intact(0, AuditHash.GENESIS, 0));
    }

    @Test
    void auditChain_aRefusedDuplicateAppend_leavesNoGap() {
        Decision first = appendChain(1).getFirst();
        assertThatThrownBy(() -> store.decisionLog().append(first)).isInstanceOf(IllegalStateException.class);
        appendChain(1);

        assertThat(ChainVerifier.verify(store.auditChain())).isInstanceOf(ChainVerifier.Verification.Intact.class);
    }

    @Test
    void auditChain_reportsAModifiedRecord_atItsPosition() throws Exception {
        List<Decision> chain = appendChain(5);
        rewriteRecord("decisions", 3, r -> changeDecision(r, d -> altered(d, "other-model", d.usage())));

        var broken = broken();

        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.recordId()).isEqualTo(chain.get(2).id());
        assertThat(broken.reason()).contains("altered");
        assertThat(ChainVerifier.verifyDeep(store.auditChain())).isEqualTo(broken);
    }

    @Test
    void auditChain_reportsAModifiedNumber() throws Exception {
        appendChain(4);
        rewriteRecord(
                "decisions",
                4,
                r -> changeDecision(
                        r,
                        d -> altered(
                                d,
                                d.model(),
                                new Usage(d.usage().inputTokens() - 1, d.usage().outputTokens()))));

        assertThat(broken().seq()).isEqualTo(4);
    }

    @Test
    void auditChain_recordBytesThatAreNotARecord_areReported() throws Exception {
        appendChain(3);
        tamper("UPDATE decisions SET canonical = NULL WHERE seq = 2");

        assertThat(broken().seq()).isEqualTo(2);
    }

    @Test
    void alteredSearchColumns_doNotChangeWhatIsServed_andDeepVerificationNamesThem() throws Exception {
        List<Decision> chain = appendChain(5);
        tamper("UPDATE decisions SET model = 'other-model', input_tokens = 1 WHERE seq = 3");

        assertThat(ChainVerifier.verify(store.auditChain()))
                .as("the records themselves are intact")
                .isInstanceOf(ChainVerifier.Verification.Intact.class);
        assertThat(store.decisionLog().findDecision(chain.get(2).id()).orElseThrow())
                .isEqualTo(chain.get(2));
        var deep = ChainVerifier.verifyDeep(store.auditChain());
        assertThat(deep).isInstanceOf(ChainVerifier.Verification.Broken.class);
        var broken = (ChainVerifier.Verification.Broken) deep;
        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.recordId()).isEqualTo(chain.get(2).id());
        assertThat(broken.reason()).contains("search columns", "model", "usage");
    }

    @Test
    void anAlteredStoredLink_isFoundByDeepVerification_andAtTheEndOfItsBlockByTheFastOne() throws Exception {
        appendChain(6);
        tamper("UPDATE decisions SET record_hash = '" + "ab".repeat(32) + "' WHERE seq = 3");

        assertThat(ChainVerifier.verify(store.auditChain()))
                .as("links are compared where the scan needs them: block ends, the last record")
                .isInstanceOf(ChainVerifier.Verification.Intact.class);
        assertThat(ChainVerifier.verifyDeep(store.auditChain()))
                .isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, b -> {
                    assertThat(b.seq()).isEqualTo(3);
                    assertThat(b.reason()).contains("stored link");
                });

        tamper("UPDATE decisions SET record_hash = '" + "ab".repeat(32) + "' WHERE seq = 6");
        assertThat(broken().seq()).isEqualTo(3);
    }

    @Test
    void aRecordAlteredBeforeAnotherBreakInItsBlock_isTheOneReported() throws Exception {
        appendChain(8);
        rewriteRecord("decisions", 3, r -> changeDecision(r, d -> altered(d, "other-model", d.usage())));
        tamper("DELETE FROM decisions WHERE seq = 7");

        var broken = broken();

        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.reason()).contains("altered");
    }

    @Test
    void aRecordAlteredBeforeAlteredContent_isTheOneReported() throws Exception {
        appendChain(2);
        store.decisionLog().append(withContent(null, null));
        appendChain(2);
        rewriteRecord("decisions", 2, r -> changeDecision(r, d -> altered(d, "other-model", d.usage())));
        tamper("UPDATE decisions SET content = REPLACE(content, 'Noted', 'Denied') WHERE seq = 3");

        assertThat(broken().seq()).isEqualTo(2);
    }

    @Test
    void aForgedRecordAtThePositionOfAnother_isReportedThere() throws Exception {
        appendChain(3);
        store.auditChain().appendEvent(event("key.created"));
        appendChain(2);
        String columns = "started_at, tenant, key_id, role, kind, model, model_version, provider, upstream_model,"
                + " stream, outcome, http_status, stop_stage, stop_type, stop_code, stop_message, stop_param,"
                + " input_tokens, output_tokens, latency_micros, upstream_micros, input_sha256, output_sha256,"
                + " reasons, notes, prev_hash, record_hash, leaf_hash, canonical";
        tamper("INSERT INTO decisions (id, seq, " + columns + ") SELECT 'forged', 4, " + columns
                + " FROM decisions WHERE seq = 3");

        assertThat(broken().seq()).isEqualTo(4);
    }

    @Test
    void anAlteredTimeColumn_doesNotTrapASearchInALoop() throws Exception {
        List<Decision> appended = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            Decision d = decision("acme", T0.plusSeconds(i), new Outcome.Answered());
            store.decisionLog().append(d);
            appended.add(d);
        }
        long between = EpochNanos.of(T0.plusSeconds(499).plusMillis(500), "t");
        tamper("UPDATE decisions SET started_at = " + between + " WHERE seq = 1");

        List<String> found = new ArrayList<>();
        store.decisionLog()
                .searchDecisions(DecisionQuery.ofTenant("acme"), d -> found.add(d.id()) && found.size() < 2000);

        assertThat(found)
                .hasSize(501)
                .containsExactlyInAnyOrderElementsOf(
                        appended.stream().map(Decision::id).toList());
    }

    @Test
    void anAlteredTenantColumn_doesNotLendARecordToAnotherTenantsSearch() throws Exception {
        Decision acme = appendChain(1).getFirst();
        tamper("UPDATE decisions SET tenant = 'globex' WHERE seq = 1");

        List<Decision> globex = new ArrayList<>();
        store.decisionLog().searchDecisions(DecisionQuery.ofTenant("globex"), globex::add);

        assertThat(globex).isEmpty();
        assertThat(store.decisionLog().findDecision(acme.id())).contains(acme);
    }

    @Test
    void aProofIsNotMadeForARowHoldingAnotherRecord() throws Exception {
        List<Decision> chain = appendChain(3);
        tamper("UPDATE decisions SET canonical = (SELECT canonical FROM decisions WHERE seq = 1) WHERE seq = 2");

        assertThatThrownBy(() -> store.auditChain().findLink(chain.get(1).id()))
                .hasMessageContaining("the audit log was altered");
    }

    @Test
    void aLegacyRowThatCannotBeRead_leavesTheStoreOpen_andIsReported() throws Exception {
        appendChain(3);
        tamper("UPDATE decisions SET canonical = NULL, kind = 'bogus' WHERE seq = 2");

        reopen();

        var broken = broken();
        assertThat(broken.seq()).isEqualTo(2);
        assertThat(broken.reason()).contains("record bytes are missing");
    }

    @Test
    void aRowHoldingAnotherRecord_isNotServedUnderItsId() throws Exception {
        List<Decision> chain = appendChain(3);
        tamper("UPDATE decisions SET canonical = (SELECT canonical FROM decisions WHERE seq = 1) WHERE seq = 2");

        assertThatThrownBy(() -> store.decisionLog().findDecision(chain.get(1).id()))
                .hasMessageContaining("the audit log was altered");
        assertThat(broken().seq()).isEqualTo(2);
    }

    @Test
    void rowsWrittenBeforeRecordsKeptTheirBytes_getThemWhenTheStoreOpens() throws Exception {
        List<Decision> chain = appendChain(4);
        store.auditChain().appendEvent(event("key.created"));
        tamper(
                "UPDATE decisions SET canonical = NULL",
                "UPDATE audit_events SET canonical = NULL",
                "UPDATE decisions SET output_tokens = 99 WHERE seq = 4");

        reopen();

        assertThat(store.decisionLog().findDecision(chain.get(1).id()).orElseThrow())
                .isEqualTo(chain.get(1));
        var broken = broken();
        assertThat(broken.seq())
                .as("a column altered before the bytes were filled in")
                .isEqualTo(4);
        tamper("UPDATE decisions SET output_tokens = " + chain.get(3).usage().outputTokens() + ", canonical = NULL"
                + " WHERE seq = 4");
        reopen();
        assertThat(ChainVerifier.verifyDeep(store.auditChain())).isInstanceOf(ChainVerifier.Verification.Intact.class);
    }

    @Test
    void auditChain_reportsADeletedRecord() throws Exception {
        appendChain(5);
        tamper("DELETE FROM decisions WHERE seq = 3");

        var broken = broken();

        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.reason()).contains("missing");
    }

    @Test
    void auditChain_reportsReorderedRecords() throws Exception {
        appendChain(5);
        tamper(
                "UPDATE decisions SET seq = -2 WHERE seq = 2",
                "UPDATE decisions SET seq = 2 WHERE seq = 4",
                "UPDATE decisions SET seq = 4 WHERE seq = -2");

        assertThat(broken().seq()).isEqualTo(2);
    }

    @Test
    void auditChain_reportsAnInsertedRecord() throws Exception {
        appendChain(4);
        String columns = "started_at, tenant, key_id, role, kind, model, model_version, provider, upstream_model,"
                + " stream, outcome, http_status, stop_stage, stop_type, stop_code, stop_message, stop_param,"
                + " input_tokens, output_tokens, latency_micros, upstream_micros, input_sha256, output_sha256,"
                + " reasons, notes, prev_hash, record_hash, leaf_hash";
        tamper(
                "UPDATE decisions SET seq = seq + 1000 WHERE seq >= 3",
                "UPDATE decisions SET seq = seq - 999 WHERE seq >= 1003",
                "INSERT INTO decisions (id, seq, " + columns + ") SELECT 'forged', 3, " + columns
                        + " FROM decisions WHERE seq = 2");

        var broken = broken();

        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.recordId()).isEqualTo("forged");
    }

    // --- events, checkpoints, proofs

    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private AuditEvent event(String action) {
        return new AuditEvent(UUID.randomUUID().toString(), T0, "acme", "cli:ops", action, "k1", Map.of("role", "app"));
    }

    /** The key the store seals with, published in it. */
    private AuditSigner signer() {
        AuditSigner signer = TestDatabase.SIGNER;
        store.auditChain().addSigningKey(signer.publicKey(T0));
        return signer;
    }

    @Test
    void auditEvents_shareTheChainWithDecisions_andTamperingWithOneIsFound() throws Exception {
        appendChain(2);
        store.auditChain().appendEvent(event("key.created"));
        appendChain(2);
        store.auditChain().appendEvent(event("key.revoked"));

        assertThat(ChainVerifier.verify(store.auditChain())).isInstanceOf(ChainVerifier.Verification.Intact.class);
        assertThat(store.auditChain().chainSize()).isEqualTo(6);

        tamper("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3");
        assertThat(ChainVerifier.verify(store.auditChain())).isInstanceOf(ChainVerifier.Verification.Intact.class);
        assertThat(((ChainVerifier.Verification.Broken) ChainVerifier.verifyDeep(store.auditChain())).reason())
                .contains("actor");

        rewriteRecord("audit_events", 3, r -> {
            var e = (AuditEvent) r;
            return new AuditEvent(e.id(), e.at(), e.tenant(), "someone-else", e.action(), e.target(), e.details());
        });
        assertThat(broken().seq()).isEqualTo(3);
    }

    @Test
    void checkpoints_signTheMerkleRoot_andVerificationChecksEachOne() {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(5);
        assertThat(checkpointer.checkpoint()).isPresent();
        assertThat(checkpointer.checkpoint()).as("nothing new, no checkpoint").isEmpty();
        store.auditChain().appendEvent(event("key.created"));
        appendChain(3);
        Checkpoint second = checkpointer.checkpoint().orElseThrow();

        assertThat(second.treeSize()).isEqualTo(9);
        assertThat(second.root())
                .isEqualTo(HexFormat.of()
                        .formatHex(MerkleTree.root(9, store.auditChain().leafHashes(0, 9))));
        assertThat(ChainVerifier.verify(store.auditChain()))
                .isEqualTo(new ChainVerifier.Verification.Intact(9, second.head(), 2));
    }

    @Test
    void checkpoints_revealRecordsCutFromTheEnd() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(6);
        checkpointer.checkpoint();
        // Without a checkpoint, removing the newest records leaves a shorter chain that still links up.
        tamper("DELETE FROM decisions WHERE seq >= 5");

        var broken = broken();
        assertThat(broken.recordId()).isEqualTo("checkpoint@6");
        assertThat(broken.reason()).contains("were removed");
    }

    @Test
    void checkpoints_withAnAlteredRootSignatureOrUnknownKey_fail() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(4);
        Checkpoint c = checkpointer.checkpoint().orElseThrow();

        tamper("UPDATE audit_checkpoints SET root = '" + "0".repeat(64) + "'");
        assertThat(broken().reason()).contains("Merkle root");

        tamper("UPDATE audit_checkpoints SET root = '" + c.root() + "', signed_at = signed_at + 1");
        assertThat(broken().reason()).contains("signature");

        tamper("UPDATE audit_checkpoints SET signed_at = signed_at - 1", "DELETE FROM audit_signing_keys");
        assertThat(broken().reason()).contains("unknown key");
    }

    @Test
    void aRotatedKeyStillVerifiesTheCheckpointsItSigned() {
        appendChain(3);
        new Checkpointer(store.auditChain(), signer(), CLOCK).checkpoint();
        appendChain(2);
        AuditSigner next = AuditSigner.generate();
        store.auditChain().addSigningKey(next.publicKey(T0.plusSeconds(60)));
        AuditSigner retired = TestDatabase.SIGNER;
        new Checkpointer(
                        store.auditChain(),
                        next,
                        CLOCK,
                        Map.of(retired.keyId(), retired.publicKey(T0).decode()),
                        Map.of(retired.keyId(), retired.sealSecret()))
                .checkpoint();

        assertThat(store.auditChain().signingKeys()).hasSize(2);
        assertThat(store.auditChain().signingKeys().getFirst().retiredAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.auditChain().signingKeys().getLast().retiredAt()).isNull();
        assertThat(ChainVerifier.verify(store.auditChain()))
                .isInstanceOfSatisfying(
                        ChainVerifier.Verification.Intact.class,
                        i -> assertThat(i.checkpoints()).isEqualTo(2));
    }

    @Test
    void aNodeMeetingSealsOfAKeyRotatedWhileItRuns_readsItsKeysAgain_andSignsOverThem() {
        AuditSigner running = signer();
        var onDisk = new AtomicReference<>(new Checkpointer.Keys(trustedKeys(), sealKeys()));
        var node = new Checkpointer(store.auditChain(), running, CLOCK, onDisk.get(), onDisk::get);
        var unaware = new Checkpointer(store.auditChain(), running, CLOCK);
        appendChain(3);
        node.checkpoint().orElseThrow();
        // rotate-key beside the node, then a command that writes with the new key
        AuditSigner next = AuditSigner.generate();
        store.auditChain().addSigningKey(next.publicKey(T0.plusSeconds(60)));
        onDisk.set(new Checkpointer.Keys(
                Map.of(
                        running.keyId(), running.publicKey(T0).decode(),
                        next.keyId(), next.publicKey(T0).decode()),
                Map.of(running.keyId(), running.sealSecret(), next.keyId(), next.sealSecret())));
        store.auditChain().sealWith(next);
        store.auditChain().appendEvent(event("key.created"));
        store.auditChain().sealWith(running);
        appendChain(1);

        assertThat(unaware.checkpoint()).isEmpty();
        assertThat(unaware.unsealed()).contains(new Span(4, 5));
        assertThat(node.checkpoint())
                .hasValueSatisfying(c -> assertThat(c.treeSize()).isEqualTo(5));
        assertThat(node.unsealed()).isEmpty();
    }

    // --- tampering by someone who can write the database but does not hold the signing key

    private static Map<String, PublicKey> trustedKeys() {
        return Map.of(
                TestDatabase.SIGNER.keyId(), TestDatabase.SIGNER.publicKey(T0).decode());
    }

    private static Map<String, byte[]> sealKeys() {
        return Map.of(TestDatabase.SIGNER.keyId(), TestDatabase.SIGNER.sealSecret());
    }

    private ChainVerifier.Verification verifyWithKeys() {
        return ChainVerifier.verify(store.auditChain(), trustedKeys(), sealKeys(), new Progress());
    }

    @Test
    void everyBatchIsSealed_soRecordsAfterTheLastCheckpointAreCoveredBySignatures() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(3);
        checkpointer.checkpoint().orElseThrow();
        appendConcurrently(40);
        store.auditChain().appendEvent(event("key.created"));

        assertThat(verifyWithKeys()).isInstanceOfSatisfying(ChainVerifier.Verification.Intact.class, intact -> {
            assertThat(intact.records()).isEqualTo(44);
            assertThat(intact.unsigned()).isEmpty();
        });
        assertThat(ChainVerifier.verify(store.auditChain()))
                .as("without the seal secret, the records after the checkpoint cannot be vouched for")
                .isInstanceOfSatisfying(
                        ChainVerifier.Verification.Intact.class,
                        intact -> assertThat(intact.unsigned()).containsExactly(new Span(4, 44)));
        assertThat(checkpointer.checkpoint()).hasValueSatisfying(c -> {
            assertThat(c.treeSize()).isEqualTo(44);
            assertThat(c.previous()).isEqualTo(3L);
        });
    }

    @Test
    void aForgedDecisionAppendedAfterTheLastCheckpoint_isNeverSigned_andIsReportedUnsigned() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(3);
        checkpointer.checkpoint().orElseThrow();
        appendChain(1);
        // write access to the database, no key: a correctly linked record, as the chain's public rules make it
        Decision forged = decision("acme", T0.plusSeconds(99), new Outcome.Answered());
        try (Store withoutKey = database.openUnsealed()) {
            withoutKey.decisionLog().append(forged);
        }
        assertThat(store.auditChain().linkAt(5)).isPresent();

        assertThat(checkpointer.checkpoint())
                .as("the sealed record before it is signed, the forged one is not")
                .hasValueSatisfying(c -> assertThat(c.treeSize()).isEqualTo(4));
        assertThat(checkpointer.unsealed()).contains(new Span(5, 5));
        appendChain(2);
        assertThat(checkpointer.checkpoint())
                .as("nothing after it is signed either")
                .isEmpty();
        assertThat(checkpointer.unsealed()).contains(new Span(5, 7));
        assertThat(store.auditChain()
                        .latestCheckpoint()
                        .orElseThrow()
                        .checkpoint()
                        .treeSize())
                .isEqualTo(4);

        assertThat(verifyWithKeys())
                .as("the records after it are sealed; the forged one is named")
                .isInstanceOfSatisfying(
                        ChainVerifier.Verification.Intact.class,
                        intact -> assertThat(intact.unsigned()).containsExactly(new Span(5, 5)));
    }

    @Test
    void aForgedSeal_isReported() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(2);
        checkpointer.checkpoint().orElseThrow();
        try (Store withoutKey = database.openUnsealed()) {
            withoutKey.decisionLog().append(decision("acme", T0.plusSeconds(99), new Outcome.Answered()));
        }
        String link = store.auditChain().linkAt(3).orElseThrow();
        tamper("INSERT INTO audit_seals (first_seq, last_seq, prev_link, last_link, sealed_at, key_id, mac) VALUES (3,"
                + " 3, '" + store.auditChain().linkAt(2).orElseThrow() + "', '" + link + "', 0, '"
                + TestDatabase.SIGNER.keyId()
                + "', 'AAAA')");

        assertThat(checkpointer.checkpoint()).isEmpty();
        assertThat(checkpointer.unsealed()).contains(new Span(3, 3));
        assertThat(verifyWithKeys()).isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, broken -> {
            assertThat(broken.recordId()).isEqualTo("seal@3..3");
            assertThat(broken.reason()).contains("forged");
        });
    }

    @Test
    void aSealedRecordWhoseBytesWereClearedAndColumnsRewritten_whileTheNodeRuns_isNeverSigned() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(2);
        checkpointer.checkpoint().orElseThrow();
        appendChain(2);
        // write access to the database, no key: the record's bytes cleared and what it is served as rewritten, its
        // stored leaf hash and its seal left as they were
        tamper("UPDATE decisions SET canonical = NULL, model = 'forged' WHERE seq = 3");

        assertThatThrownBy(checkpointer::checkpoint)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("position 3")
                .hasMessageContaining("no record bytes");
        assertThat(store.auditChain()
                        .latestCheckpoint()
                        .orElseThrow()
                        .checkpoint()
                        .treeSize())
                .as("no checkpoint covers the record")
                .isEqualTo(2);
        assertThat(verifyWithKeys()).isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, broken -> {
            assertThat(broken.seq()).isEqualTo(3);
            assertThat(broken.reason()).contains("record bytes are missing");
        });
    }

    @Test
    void anAlteredFrontierOfTheLatestCheckpoint_whichStopsEveryLaterCheckpoint_isReported() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(3);
        checkpointer.checkpoint().orElseThrow();
        appendChain(1);
        checkpointer.checkpoint().orElseThrow();
        appendChain(1);

        // 4 records: one complete subtree, so one root of the right count but the wrong value, then the wrong count
        for (String frontier : List.of("ab".repeat(32), "ab".repeat(32) + ",cd", "not hex")) {
            tamper("UPDATE audit_checkpoints SET frontier = '" + frontier + "' WHERE tree_size = 4");

            assertThatThrownBy(checkpointer::checkpoint)
                    .as("a node extends no checkpoint from it")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("frontier");
            assertThat(verifyWithKeys())
                    .as(frontier)
                    .isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, broken -> {
                        assertThat(broken.recordId()).isEqualTo("checkpoint@4");
                        assertThat(broken.reason()).contains("frontier");
                    });
        }
    }

    @Test
    void theTailDeletedWithItsCheckpointsAndMerkleBlocks_isReported() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        appendChain(5);
        List<Checkpoint> published = new ArrayList<>();
        published.add(checkpointer.checkpoint().orElseThrow());
        appendConcurrently(MerkleTree.BLOCK + 20);
        published.add(checkpointer.checkpoint().orElseThrow());
        assertThat(store.auditChain().blockCount()).isEqualTo(1);

        tamper(
                "DELETE FROM decisions WHERE seq > 5",
                "DELETE FROM audit_checkpoints WHERE tree_size > 5",
                "DELETE FROM merkle_blocks");
        assertThat(verifyWithKeys())
                .as("the seals of the deleted records remain")
                .isInstanceOfSatisfying(
                        ChainVerifier.Verification.Broken.class,
                        broken -> assertThat(broken.reason()).contains("records at the end were removed"));

        tamper("DELETE FROM audit_seals WHERE last_seq > 5");
        assertThat(verifyWithKeys())
                .as("the database alone now looks whole")
                .isInstanceOf(ChainVerifier.Verification.Intact.class);
        assertThat(ChainVerifier.verifyPublished(store.auditChain(), published, trustedKeys()))
                .as("the checkpoints published outside it do not")
                .isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, broken -> {
                    assertThat(broken.recordId()).isEqualTo("published@" + (MerkleTree.BLOCK + 25));
                    assertThat(broken.reason()).contains("were removed");
                });
    }

    @Test
    void aDeletedMiddleCheckpoint_isReported() throws Exception {
        var checkpointer = new Checkpointer(store.auditChain(), signer(), CLOCK);
        List<Checkpoint> published = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            appendChain(2);
            published.add(checkpointer.checkpoint().orElseThrow());
        }
        assertThat(verifyWithKeys()).isInstanceOf(ChainVerifier.Verification.Intact.class);

        tamper("DELETE FROM audit_checkpoints WHERE tree_size = 4");

        assertThat(verifyWithKeys()).isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, broken -> {
            assertThat(broken.recordId()).isEqualTo("checkpoint@6");
            assertThat(broken.reason())
                    .contains("extends the checkpoint of 4 records")
                    .contains("deleted");
        });
        assertThat(ChainVerifier.verifyPublished(store.auditChain(), published, trustedKeys()))
                .as("a checkpoint published outside the database that the store no longer has")
                .isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, broken -> {
                    assertThat(broken.recordId()).isEqualTo("published@4");
                    assertThat(broken.reason()).contains("is not in the store");
                });
    }

    @Test
    void recordsWrittenWithoutTheKey_beforeSealsExisted_areSignedOnlyWhenAnOperatorAcceptsThem() throws Exception {
        try (Store older = database.openUnsealed()) {
            for (int i = 0; i < 3; i++) {
                older.decisionLog().append(decision("acme", T0.plusSeconds(i), new Outcome.Answered()));
            }
            // a checkpoint in the first format, as an earlier version signed them
            var frontier = new MerkleTree.Frontier();
            older.auditChain().leafHashes(0, 3).forEachRemaining(frontier::append);
            older.auditChain().addSigningKey(TestDatabase.SIGNER.publicKey(T0));
            older.auditChain()
                    .addCheckpoint(
                            TestDatabase.SIGNER.sign(
                                    3,
                                    HexFormat.of().formatHex(frontier.root()),
                                    older.auditChain().linkAt(3).orElseThrow(),
                                    T0),
                            frontier);
            older.decisionLog().append(decision("acme", T0.plusSeconds(3), new Outcome.Answered()));
        }
        var checkpointer = new Checkpointer(store.auditChain(), TestDatabase.SIGNER, CLOCK);
        assertThat(verifyWithKeys())
                .isInstanceOfSatisfying(
                        ChainVerifier.Verification.Intact.class,
                        intact -> assertThat(intact.unsigned()).containsExactly(new Span(4, 4)));
        assertThat(checkpointer.checkpoint()).isEmpty();
        assertThat(checkpointer.unsealed()).contains(new Span(4, 4));

        assertThat(checkpointer.checkpointAcceptingUnsealed())
                .hasValueSatisfying(c -> assertThat(c.treeSize()).isEqualTo(4));
        appendChain(2);
        assertThat(checkpointer.checkpoint())
                .hasValueSatisfying(c -> assertThat(c.treeSize()).isEqualTo(6));
        assertThat(verifyWithKeys()).isInstanceOfSatisfying(ChainVerifier.Verification.Intact.class, intact -> {
            assertThat(intact.checkpoints()).isEqualTo(3);
            assertThat(intact.unsigned()).isEmpty();
        });
    }

    @Test
    void aStoredLeafHashThatDoesNotMatchItsRecord_isReported() throws Exception {
        appendChain(3);
        tamper("UPDATE decisions SET leaf_hash = '" + "ab".repeat(32) + "' WHERE seq = 2");

        assertThat(ChainVerifier.verifyDeep(store.auditChain()))
                .isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, b -> {
                    assertThat(b.seq()).isEqualTo(2);
                    assertThat(b.reason()).contains("leaf hash");
                });
    }

    @Test
    void inclusionProofs_ofDecisionsAndEvents_checkOutAgainstTheLatestCheckpoint() {
        AuditSigner signer = signer();
        var checkpointer = new Checkpointer(store.auditChain(), signer, CLOCK);
        List<Decision> decisions = appendChain(7);
        AuditEvent event = event("config.applied");
        store.auditChain().appendEvent(event);
        assertThat(InclusionProof.of(store.auditChain(), new AuditRecord.OfDecision(decisions.get(2), null, null), 3))
                .as("no checkpoint yet")
                .isEmpty();
        checkpointer.checkpoint();
        appendChain(4);
        checkpointer.checkpoint();

        for (int i = 0; i < decisions.size(); i++) {
            long seq = store.auditChain().positionOf(decisions.get(i).id()).orElseThrow();
            assertThat(seq).isEqualTo(i + 1);
            var proof = InclusionProof.of(
                            store.auditChain(), new AuditRecord.OfDecision(decisions.get(i), null, null), seq)
                    .orElseThrow();
            assertThat(proof.checkpoint().treeSize()).isEqualTo(12);
            assertThat(proof.check(signer.publicKey(T0).decode())).isEmpty();
        }
        var eventProof = InclusionProof.of(
                        store.auditChain(),
                        event,
                        store.auditChain().positionOf(event.id()).orElseThrow())
                .orElseThrow();
        assertThat(eventProof.check(null)).isEmpty();
        // the proof of a record as it is not stored fails
        Decision altered = withId(decisions.get(3), decisions.get(4).id());
        assertThat(InclusionProof.of(store.auditChain(), new AuditRecord.OfDecision(altered, null, null), 5)
                        .orElseThrow()
                        .check(null))
                .isPresent();
    }

    @Test
    void consistencyProofs_showTheLogOnlyGrew_andFailOnceHistoryIsRewritten() throws Exception {
        AuditSigner signer = signer();
        var checkpointer = new Checkpointer(store.auditChain(), signer, CLOCK);
        appendChain(5);
        checkpointer.checkpoint().orElseThrow();
        store.auditChain().appendEvent(event("key.created"));
        appendChain(6);
        checkpointer.checkpoint().orElseThrow();
        var keys = Map.of(signer.publicKey(T0).keyId(), signer.publicKey(T0).decode());

        var proof = ConsistencyProof.of(store.auditChain(), 5, 12L);
        assertThat(proof.check(keys)).isEmpty();
        assertThat(ConsistencyProof.of(store.auditChain(), 5, null)).isEqualTo(proof);
        assertThat(ConsistencyProof.of(store.auditChain(), 12, null).check(null))
                .as("a checkpoint is consistent with itself")
                .isEmpty();
        assertThat(proof.check(Map.of())).get(InstanceOfAssertFactories.STRING).contains("not among the trusted keys");
        assertThatThrownBy(() -> ConsistencyProof.of(store.auditChain(), 6, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no signed checkpoint has tree size 6");
        assertThatThrownBy(() -> ConsistencyProof.of(store.auditChain(), 12, 5L))
                .isInstanceOf(IllegalArgumentException.class);

        // someone able to write the database rewrites record 3: a proof made from the log as it now is no longer
        // leads from the root signed before
        rewriteRecord("decisions", 3, r -> changeDecision(r, d -> altered(d, "other-model", d.usage())));
        assertThat(ConsistencyProof.of(store.auditChain(), 5, 12L).check(keys))
                .get(InstanceOfAssertFactories.STRING)
                .contains("did not only grow");
    }

    @Test
    void proofsInALogOfSeveralBlocks_readStoredBlockRoots_andStillCheck() throws Exception {
        AuditSigner signer = signer();
        List<Decision> appended = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2 * MerkleTree.BLOCK + 300; i++) {
                Decision d = decision("acme", T0.plusMillis(i), new Outcome.Answered());
                appended.add(d);
                done.add(threads.submit(() -> store.decisionLog().append(d)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        new Checkpointer(store.auditChain(), signer, CLOCK).checkpoint().orElseThrow();

        assertThat(store.auditChain().blockCount()).isEqualTo(2);
        for (Decision d : List.of(appended.get(5), appended.get(1500), appended.getLast())) {
            var link = store.auditChain().findLink(d.id()).orElseThrow();
            var proof = InclusionProof.of(store.auditChain(), link.record(), link.seq())
                    .orElseThrow();
            assertThat(proof.check(signer.publicKey(T0).decode()))
                    .as("seq " + link.seq())
                    .isEmpty();
        }
        // a falsified block root cannot forge anything: proofs through it no longer check
        tamper("UPDATE merkle_blocks SET root = '" + "ab".repeat(32) + "' WHERE block_index = 1");
        var link = store.auditChain().findLink(appended.get(5).id()).orElseThrow();
        assertThat(InclusionProof.of(store.auditChain(), link.record(), link.seq())
                        .orElseThrow()
                        .check(null))
                .isPresent();
    }

    private void appendConcurrently(int count) throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Decision d = decision("acme", T0.plusMillis(i), new Outcome.Answered());
                done.add(threads.submit(() -> store.decisionLog().append(d)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    @Test
    void verifyingOnSeveralThreads_findsWhatOneThreadFinds() throws Exception {
        AuditSigner signer = signer();
        var checkpointer = new Checkpointer(store.auditChain(), signer, CLOCK);
        var keys = Map.of(signer.publicKey(T0).keyId(), signer.publicKey(T0).decode());
        appendConcurrently(1000);
        checkpointer.checkpoint().orElseThrow(); // inside the first block
        appendConcurrently(2 * MerkleTree.BLOCK - 1000);
        checkpointer.checkpoint().orElseThrow(); // at the end of the second
        store.auditChain().appendEvent(event("key.created"));
        appendConcurrently(500);
        Checkpoint last = checkpointer.checkpoint().orElseThrow();

        var intact = new ChainVerifier.Verification.Intact(2 * MerkleTree.BLOCK + 501, last.head(), 3);
        var progress = new Progress();
        assertThat(ChainVerifier.verifyDeep(store.auditChain(), keys, progress)).isEqualTo(intact);
        assertThat(progress.phase()).isEqualTo("index rows");
        assertThat(progress.done())
                .as("every row counted")
                .isEqualTo(progress.total())
                .isEqualTo(intact.records());
        for (int threads = 1; threads <= 4; threads++) {
            assertThat(ChainVerifier.verify(store.auditChain(), keys, threads))
                    .as(threads + " threads")
                    .isEqualTo(intact);
        }

        tamper("UPDATE merkle_blocks SET root = '" + "ab".repeat(32) + "' WHERE block_index = 1");
        for (int threads = 1; threads <= 3; threads++) {
            assertThat(ChainVerifier.verify(store.auditChain(), keys, threads))
                    .as(threads + " threads")
                    .isInstanceOfSatisfying(ChainVerifier.Verification.Broken.class, b -> {
                        assertThat(b.recordId()).isEqualTo("merkle-block@1");
                        assertThat(b.seq()).isEqualTo(2 * MerkleTree.BLOCK);
                    });
        }

        rewriteRecord("decisions", 1500, r -> changeDecision(r, d -> altered(d, "other-model", d.usage())));
        rewriteRecord("decisions", 2100, r -> changeDecision(r, d -> altered(d, "other-model", d.usage())));
        for (int threads = 1; threads <= 3; threads++) {
            assertThat(ChainVerifier.verify(store.auditChain(), keys, threads))
                    .as(threads + " threads")
                    .isInstanceOfSatisfying(
                            ChainVerifier.Verification.Broken.class,
                            b -> assertThat(b.seq()).isEqualTo(1500));
        }
    }

    // --- content, retention, erasure

    private Decision withContent(String subject, Instant keepUntil) {
        Decision d = decision("acme", T0, new Outcome.Answered());
        return d.withContent(Content.kept("user: my IBAN is DE89370400440532013000\n", "Noted.", subject, keepUntil));
    }

    private String storedContent(String id) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                var row = statement.executeQuery("SELECT content FROM decisions WHERE id = '" + id + "'")) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void keptContent_roundTrips_andTheChainCommitsToIt() throws Exception {
        Decision d = withContent(null, null);
        store.decisionLog().append(d);

        assertThat(store.decisionLog().findDecision(d.id()).orElseThrow().content())
                .isEqualTo(new Content(Content.State.KEPT, d.content().input(), "Noted.", null, null));
        assertThat(ChainVerifier.verify(store.auditChain())).isInstanceOf(ChainVerifier.Verification.Intact.class);

        tamper("UPDATE decisions SET content = REPLACE(content, 'Noted', 'Denied')");
        assertThat(broken().reason()).contains("stored content was altered");
    }

    @Test
    void contentOfANamedSubject_isStoredEncrypted_andSearchableBySubject() throws Exception {
        Decision d = withContent("customer-42", null);
        store.decisionLog().append(d);
        store.decisionLog().append(withContent("customer-7", null));

        assertThat(storedContent(d.id())).startsWith("enc:v1:").doesNotContain("DE89", "Noted");
        assertThat(store.decisionLog()
                        .findDecision(d.id())
                        .orElseThrow()
                        .content()
                        .input())
                .contains("DE89370400440532013000");
        List<String> found = new ArrayList<>();
        store.decisionLog()
                .searchDecisions(
                        new DecisionQuery("acme", null, null, null, null, "customer-42"), x -> found.add(x.id()));
        assertThat(found).containsExactly(d.id());
        List<String> otherTenant = new ArrayList<>();
        store.decisionLog()
                .searchDecisions(
                        new DecisionQuery("globex", null, null, null, null, "customer-42"),
                        x -> otherTenant.add(x.id()));
        assertThat(otherTenant).isEmpty();
    }

    @Test
    void erasingASubject_shredsTheirContent_keepsOthers_andTheChainStillVerifies() throws Exception {
        AuditSigner signer = signer();
        var checkpointer = new Checkpointer(store.auditChain(), signer, CLOCK);
        Decision erased = withContent("customer-42", null);
        Decision kept = withContent("customer-7", null);
        store.decisionLog().append(erased);
        store.decisionLog().append(kept);
        checkpointer.checkpoint();

        int records = store.erasure().eraseSubject("acme", "customer-42", "cli:dpo", T0.plusSeconds(10));

        assertThat(records).isEqualTo(1);
        Content now =
                store.decisionLog().findDecision(erased.id()).orElseThrow().content();
        assertThat(now.state()).isEqualTo(Content.State.ERASED);
        assertThat(now.input()).isNull();
        assertThat(store.decisionLog()
                        .findDecision(kept.id())
                        .orElseThrow()
                        .content()
                        .input())
                .contains("DE89");
        List<String> found = new ArrayList<>();
        store.decisionLog()
                .searchDecisions(
                        new DecisionQuery("acme", null, null, null, null, "customer-42"), x -> found.add(x.id()));
        assertThat(found).isEmpty();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                var row = statement.executeQuery("SELECT COUNT(*) FROM subject_keys WHERE key_material IS NOT NULL")) {
            row.next();
            assertThat(row.getInt(1)).as("only customer-7's key is left").isEqualTo(1);
        }
        checkpointer.checkpoint();
        assertThat(ChainVerifier.verify(store.auditChain()))
                .isInstanceOfSatisfying(
                        ChainVerifier.Verification.Intact.class,
                        i -> assertThat(i.records()).isEqualTo(3));
        List<ChainLink> links = new ArrayList<>();
        store.auditChain().forEachLink(links::add);
        assertThat(links.getLast().record()).isInstanceOfSatisfying(AuditEvent.class, e -> {
            assertThat(e.action()).isEqualTo("subject.erased");
            assertThat(e.actor()).isEqualTo("cli:dpo");
            assertThat(e.details()).containsEntry("records", "1");
            assertThat(e.target()).doesNotContain("customer-42");
        });
        // the subject's next request gets a new key
        Decision later = withContent("customer-42", null);
        store.decisionLog().append(later);
        assertThat(store.decisionLog()
                        .findDecision(later.id())
                        .orElseThrow()
                        .content()
                        .state())
                .isEqualTo(Content.State.KEPT);
    }

    @Test
    void thePurge_removesExpiredContentOnly_isAudited_andLeavesTheChainIntact() throws Exception {
        Decision expired = withContent(null, T0.plusSeconds(60));
        Decision fresh = withContent("customer-9", T0.plusSeconds(3600));
        Decision forever = withContent(null, null);
        store.decisionLog().append(expired);
        store.decisionLog().append(fresh);
        store.decisionLog().append(forever);

        assertThat(store.erasure().purgeExpiredContent(T0.plusSeconds(61), "airlock"))
                .isEqualTo(1);
        assertThat(store.erasure().purgeExpiredContent(T0.plusSeconds(62), "airlock"))
                .isZero();

        assertThat(store.decisionLog().findDecision(expired.id()).orElseThrow().content())
                .isEqualTo(new Content(Content.State.PURGED, null, null, null, T0.plusSeconds(60)));
        assertThat(store.decisionLog()
                        .findDecision(fresh.id())
                        .orElseThrow()
                        .content()
                        .state())
                .isEqualTo(Content.State.KEPT);
        assertThat(store.decisionLog()
                        .findDecision(forever.id())
                        .orElseThrow()
                        .content()
                        .state())
                .isEqualTo(Content.State.KEPT);
        assertThat(storedContent(expired.id())).isNull();
        assertThat(ChainVerifier.verify(store.auditChain()))
                .isInstanceOfSatisfying(
                        ChainVerifier.Verification.Intact.class,
                        i -> assertThat(i.records())
                                .as("three Decisions and one purge event")
                                .isEqualTo(4));
    }

    // --- test data

    /** A Decision with every field set, so that a round trip shows each one survives. */
    protected static Decision decision(String tenant, Instant startedAt, Outcome outcome) {
        return DecisionLogContract.decision(tenant, startedAt, outcome);
    }

    private static Decision withId(Decision d, String id) {
        return DecisionLogContract.withId(d, id);
    }

    /** A key under construction. */
    protected record KeyBuilder(ApiKeyRecord record) {
        KeyBuilder withExpiry(Instant expiresAt) {
            var r = record;
            return new KeyBuilder(new ApiKeyRecord(
                    r.id(), r.tenant(), r.role(), r.name(), r.secretSha256(), r.createdAt(), expiresAt, r.revokedAt()));
        }
    }

    protected static KeyBuilder key(String id, Instant createdAt) {
        String secretSha256 = "ab".repeat(32);
        return new KeyBuilder(
                new ApiKeyRecord(id, "acme", Role.APP, "loan-service " + id, secretSha256, createdAt, null, null));
    }
}
