package dev.airlock.store;

import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.ChainLink;
import dev.airlock.audit.Checkpoint;
import dev.airlock.audit.Erasure;
import dev.airlock.audit.MerkleTree;
import dev.airlock.audit.Seal;
import dev.airlock.audit.SigningKey;
import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.auth.KeyStore;
import dev.airlock.cost.Budget;
import dev.airlock.cost.BudgetLedger;
import dev.airlock.cost.SpendRow;
import dev.airlock.cost.SpendSource;
import dev.airlock.cost.TokenBuckets;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.readiness.Drill;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.Waiver;
import dev.airlock.registry.ConfigRevision;
import dev.airlock.registry.ConfigRevisions;
import dev.airlock.retrieval.Document;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.retrieval.Trust;
import dev.airlock.review.HeldReview;
import dev.airlock.review.ReviewStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Airlock's database, in an embedded SQLite file or in PostgreSQL: it opens the database and hands out the ports core
 * declares, each implemented by the table (or group of tables) that keeps it. Both databases run the same Flyway
 * migrations, applied when the store opens, and pass the same contract suite per port.
 *
 * <pre>{@code
 * try (Store store = Store.open("jdbc:sqlite:.airlock/airlock.db", null, null)) {
 *     store.keyStore().insertKey(ApiKeys.issue("acme", Role.APP, "loan-service", Instant.now(), null).record());
 *     store.decisionLog().append(decision);
 *     List<Decision> latest = store.decisionLog().recentDecisions("acme", 20);
 * }
 * }</pre>
 *
 * <p>Why this shape: a route, command or service takes only the ports it uses, and the store is where they come from,
 * so no class forwards the ports method by method. The cross-cutting parts stay behind the ports that need them: the
 * decision log appends through group commit, which seals every batch and advances the chain head; the audit chain
 * reads and signs seals; erasure shreds subject keys and audits itself in the same chain.
 *
 * <p>For compatibility the store still <em>is</em> each port too: its default methods hand each call to the port
 * that owns it, so callers that take the whole store keep working while they move to the ports. New code takes a
 * port.
 *
 * <p>A store is safe to use from many threads, virtual or not. Instants round-trip exactly (nanoseconds) within
 * 1677-09-21 to 2262-04-11; outside that range writes fail with {@link IllegalArgumentException}. Writing a key
 * or Decision whose id is already stored fails with {@link IllegalStateException}.
 */
public interface Store
        extends KeyStore,
                DecisionLog,
                AuditChain,
                SpendSource,
                DeploymentStore,
                ShadowComparison.Log,
                ReviewStore,
                DocumentStore,
                EvidenceStore,
                ConfigRevisions,
                Erasure,
                AutoCloseable {

    /** API keys, stored hashed. */
    KeyStore keyStore();

    /** Decisions; appends are group-committed and sealed. */
    DecisionLog decisionLog();

    /** The hash chain over Decisions and audit events, its Merkle blocks, checkpoints, seals and signing keys. */
    AuditChain auditChain();

    /** Subject erasure and the retention purge, each recorded in the audit chain. */
    Erasure erasure();

    /** Spend summed from recorded Decisions. */
    SpendSource spendSource();

    /** Deployments and their change history. */
    DeploymentStore deploymentStore();

    /** Shadow comparisons. */
    ShadowComparison.Log shadowLog();

    /** Applied configuration revisions. */
    ConfigRevisions configRevisions();

    /** Held reviews; a named subject's are encrypted under the subject's key. */
    ReviewStore reviewStore();

    /** Retrieval documents and source trust. */
    DocumentStore documentStore();

    /** Readiness evidence: load tests, drills, evaluations, waivers. */
    EvidenceStore evidenceStore();

    /**
     * Budgets' spend and reservations kept in this database, for nodes that share it; {@link
     * BudgetLedger#shared()} says whether other nodes can (PostgreSQL) or not (SQLite).
     */
    BudgetLedger budgetLedger();

    /** Rate-limit token buckets kept in this database, for nodes that share it. */
    TokenBuckets tokenBuckets();

    /**
     * Opens a store and brings its schema up to date.
     *
     * <ul>
     *   <li>{@code jdbc:sqlite:<file>} — an embedded database in one file; parent directories are created. WAL
     *       journal with {@code synchronous=NORMAL}: a write that returned survives a crash of this process (not
     *       necessarily a power loss). One writer connection, a few readers.
     *   <li>{@code jdbc:postgresql://host:port/database} — a PostgreSQL server, through a connection pool. Use
     *       {@code ?currentSchema=name} to keep Airlock's tables in their own (existing) schema.
     * </ul>
     *
     * @param jdbcUrl where the database is
     * @param user the database user, or null (SQLite ignores it)
     * @param password the password, or null
     * @throws IllegalArgumentException if the URL is neither of the accepted kinds
     */
    static Store open(String jdbcUrl, String user, String password) {
        return new SqlStore(Database.open(jdbcUrl, user, password));
    }

    /** Closes the store's connections. Idempotent. */
    @Override
    void close();

    // --- compatibility: the store as each port, handing every call to the port that owns it

    @Override
    default void insertKey(ApiKeyRecord key) {
        keyStore().insertKey(key);
    }

    @Override
    default Optional<ApiKeyRecord> findKey(String id) {
        return keyStore().findKey(id);
    }

    @Override
    default List<ApiKeyRecord> listKeys() {
        return keyStore().listKeys();
    }

    @Override
    default boolean revokeKey(String id, Instant at) {
        return keyStore().revokeKey(id, at);
    }

    @Override
    default void append(Decision decision) {
        decisionLog().append(decision);
    }

    @Override
    default Optional<Decision> findDecision(String id) {
        return decisionLog().findDecision(id);
    }

    @Override
    default List<Decision> recentDecisions(String tenant, int limit) {
        return decisionLog().recentDecisions(tenant, limit);
    }

    @Override
    default void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
        decisionLog().searchDecisions(query, visitor);
    }

    @Override
    default void forEachLink(Consumer<ChainLink> visitor) {
        auditChain().forEachLink(visitor);
    }

    @Override
    default void scanStored(long after, long upTo, StoredRecords visitor) {
        auditChain().scanStored(after, upTo, visitor);
    }

    @Override
    default int parallelScans() {
        return auditChain().parallelScans();
    }

    @Override
    default Optional<String> recordIdAt(long seq) {
        return auditChain().recordIdAt(seq);
    }

    @Override
    default void appendEvent(AuditEvent event) {
        auditChain().appendEvent(event);
    }

    @Override
    default long chainSize() {
        return auditChain().chainSize();
    }

    @Override
    default Iterator<byte[]> leafHashes(long after, long upTo) {
        return auditChain().leafHashes(after, upTo);
    }

    @Override
    default Optional<String> linkAt(long seq) {
        return auditChain().linkAt(seq);
    }

    @Override
    default Optional<Long> positionOf(String recordId) {
        return auditChain().positionOf(recordId);
    }

    @Override
    default void searchEvents(String tenant, Instant from, Instant to, Predicate<AuditEvent> visitor) {
        auditChain().searchEvents(tenant, from, to, visitor);
    }

    @Override
    default Optional<ChainLink> findLink(String recordId) {
        return auditChain().findLink(recordId);
    }

    @Override
    default void sealWith(AuditSigner signer) {
        auditChain().sealWith(signer);
    }

    @Override
    default List<Seal> seals(long after) {
        return auditChain().seals(after);
    }

    @Override
    default long blockCount() {
        return auditChain().blockCount();
    }

    @Override
    default void addBlockRoots(long firstIndex, List<byte[]> roots) {
        auditChain().addBlockRoots(firstIndex, roots);
    }

    @Override
    default List<byte[]> blockRoots(long from, long to) {
        return auditChain().blockRoots(from, to);
    }

    @Override
    default boolean addCheckpoint(Checkpoint checkpoint, MerkleTree.Frontier frontier) {
        return auditChain().addCheckpoint(checkpoint, frontier);
    }

    @Override
    default Optional<StoredCheckpoint> latestCheckpoint() {
        return auditChain().latestCheckpoint();
    }

    @Override
    default List<Checkpoint> checkpoints() {
        return auditChain().checkpoints();
    }

    @Override
    default List<SigningKey> signingKeys() {
        return auditChain().signingKeys();
    }

    @Override
    default void addSigningKey(SigningKey key) {
        auditChain().addSigningKey(key);
    }

    @Override
    default int eraseSubject(String tenant, String subject, String actor, Instant at) {
        return erasure().eraseSubject(tenant, subject, actor, at);
    }

    @Override
    default int purgeExpiredContent(Instant now, String actor) {
        return erasure().purgeExpiredContent(now, actor);
    }

    @Override
    default BigDecimal spent(Budget.Scope scope, String subject, Instant from, Instant to) {
        return spendSource().spent(scope, subject, from, to);
    }

    @Override
    default List<SpendRow> spend(String tenant, Instant from, Instant to, String groupBy, boolean monthly) {
        return spendSource().spend(tenant, from, to, groupBy, monthly);
    }

    @Override
    default List<Deployment> deployments() {
        return deploymentStore().deployments();
    }

    @Override
    default void saveDeployment(Deployment deployment, DeploymentChange change, Instant expectedUpdatedAt) {
        deploymentStore().saveDeployment(deployment, change, expectedUpdatedAt);
    }

    @Override
    default List<DeploymentChange> deploymentChanges(String model) {
        return deploymentStore().deploymentChanges(model);
    }

    @Override
    default void recordShadow(ShadowComparison comparison) {
        shadowLog().recordShadow(comparison);
    }

    @Override
    default void shadowComparisons(String model, Instant from, Predicate<ShadowComparison> visitor) {
        shadowLog().shadowComparisons(model, from, visitor);
    }

    @Override
    default void recordConfigRevision(ConfigRevision revision) {
        configRevisions().recordConfigRevision(revision);
    }

    @Override
    default Optional<ConfigRevision> latestConfigRevision() {
        return configRevisions().latestConfigRevision();
    }

    @Override
    default void insertReview(HeldReview review, String subject) {
        reviewStore().insertReview(review, subject);
    }

    @Override
    default Optional<HeldReview> findReview(String id) {
        return reviewStore().findReview(id);
    }

    @Override
    default List<HeldReview> reviews(String tenant, HeldReview.State state, int limit) {
        return reviewStore().reviews(tenant, state, limit);
    }

    @Override
    default boolean updateReview(HeldReview before, HeldReview after) {
        return reviewStore().updateReview(before, after);
    }

    @Override
    default List<HeldReview> overdueReviews(Instant now) {
        return reviewStore().overdueReviews(now);
    }

    @Override
    default void setSourceTrust(String tenant, String source, Trust trust) {
        documentStore().setSourceTrust(tenant, source, trust);
    }

    @Override
    default Map<String, Trust> sources(String tenant) {
        return documentStore().sources(tenant);
    }

    @Override
    default void insertDocument(Document document) {
        documentStore().insertDocument(document);
    }

    @Override
    default Optional<Document> findDocument(String id) {
        return documentStore().findDocument(id);
    }

    @Override
    default void quarantineDocument(String id, String reason) {
        documentStore().quarantineDocument(id, reason);
    }

    @Override
    default List<Document> servableDocuments(String tenant) {
        return documentStore().servableDocuments(tenant);
    }

    @Override
    default void recordLoadTest(LoadTestResult result) {
        evidenceStore().recordLoadTest(result);
    }

    @Override
    default List<LoadTestResult> loadTests(String model) {
        return evidenceStore().loadTests(model);
    }

    @Override
    default void recordDrill(Drill drill) {
        evidenceStore().recordDrill(drill);
    }

    @Override
    default List<Drill> drills(String model) {
        return evidenceStore().drills(model);
    }

    @Override
    default void recordEvaluation(Evaluation evaluation) {
        evidenceStore().recordEvaluation(evaluation);
    }

    @Override
    default List<Evaluation> evaluations(String model) {
        return evidenceStore().evaluations(model);
    }

    @Override
    default void recordWaiver(Waiver waiver) {
        evidenceStore().recordWaiver(waiver);
    }

    @Override
    default List<Waiver> waivers(String model) {
        return evidenceStore().waivers(model);
    }
}
