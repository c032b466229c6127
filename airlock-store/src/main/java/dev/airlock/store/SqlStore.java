package dev.airlock.store;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.ChainLink;
import dev.airlock.audit.Checkpoint;
import dev.airlock.audit.MerkleTree;
import dev.airlock.audit.SigningKey;
import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.cost.Budget;
import dev.airlock.cost.SpendRow;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.readiness.Drill;
import dev.airlock.readiness.Waiver;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The store on any SQL database {@link Database} can open. */
final class SqlStore implements Store {
    private final Database database;
    private final KeyTable keys;
    private final DecisionTable decisions;
    private final AuditTable audit;
    private final Seals seals;
    private final GroupCommit appends;
    private final SpendTable spend;
    private final LoadTestTable loadTests;
    private final ReadinessTable readiness;
    private final DeploymentTable deployments;
    private final ReviewTable reviews;
    private final DocumentTable documents;
    private final LedgerTable ledger;
    private final BucketTable buckets;

    SqlStore(Database database) {
        this.database = database;
        this.keys = new KeyTable(database);
        this.seals = new Seals(database);
        this.decisions = new DecisionTable(database, seals);
        this.audit = new AuditTable(database, decisions, seals);
        this.appends = new GroupCommit(decisions);
        this.spend = new SpendTable(database);
        this.loadTests = new LoadTestTable(database);
        this.readiness = new ReadinessTable(database);
        this.deployments = new DeploymentTable(database);
        this.reviews = new ReviewTable(database);
        this.documents = new DocumentTable(database);
        this.ledger = new LedgerTable(database, spend);
        this.buckets = new BucketTable(database);
        decisions.fillCanonical();
        audit.fillCanonical();
    }

    /** The Decisions table itself, for tests that write a batch of their own making. */
    DecisionTable decisionTable() {
        return decisions;
    }

    @Override
    public dev.airlock.cost.BudgetLedger budgetLedger() {
        return ledger;
    }

    @Override
    public dev.airlock.cost.TokenBuckets tokenBuckets() {
        return buckets;
    }

    @Override
    public List<dev.airlock.deploy.Deployment> deployments() {
        return deployments.all();
    }

    @Override
    public void saveDeployment(
            dev.airlock.deploy.Deployment deployment,
            dev.airlock.deploy.DeploymentChange change,
            Instant expectedUpdatedAt) {
        deployments.save(deployment, change, expectedUpdatedAt);
    }

    @Override
    public List<dev.airlock.deploy.DeploymentChange> deploymentChanges(String model) {
        return deployments.changes(model);
    }

    @Override
    public void recordShadow(dev.airlock.pipeline.ShadowComparison comparison) {
        deployments.insert(comparison);
    }

    @Override
    public void shadowComparisons(
            String model, Instant from, Predicate<dev.airlock.pipeline.ShadowComparison> visitor) {
        deployments.shadows(model, from, visitor);
    }

    @Override
    public void setSourceTrust(String tenant, String source, dev.airlock.retrieval.Trust trust) {
        documents.setTrust(tenant, source, trust);
    }

    @Override
    public Map<String, dev.airlock.retrieval.Trust> sources(String tenant) {
        return documents.sources(tenant);
    }

    @Override
    public void insertDocument(dev.airlock.retrieval.Document document) {
        documents.insert(document);
    }

    @Override
    public Optional<dev.airlock.retrieval.Document> findDocument(String id) {
        return documents.find(id);
    }

    @Override
    public void quarantineDocument(String id, String reason) {
        documents.quarantine(id, reason);
    }

    @Override
    public List<dev.airlock.retrieval.Document> servableDocuments(String tenant) {
        return documents.servable(tenant);
    }

    @Override
    public void insertReview(dev.airlock.review.HeldReview review, String subject) {
        reviews.insert(review, subject);
    }

    @Override
    public Optional<dev.airlock.review.HeldReview> findReview(String id) {
        return reviews.find(id);
    }

    @Override
    public List<dev.airlock.review.HeldReview> reviews(
            String tenant, dev.airlock.review.HeldReview.State state, int limit) {
        return reviews.list(tenant, state, limit);
    }

    @Override
    public boolean updateReview(dev.airlock.review.HeldReview before, dev.airlock.review.HeldReview after) {
        return reviews.update(before, after);
    }

    @Override
    public List<dev.airlock.review.HeldReview> overdueReviews(Instant now) {
        return reviews.overdue(now);
    }

    @Override
    public void recordConfigRevision(dev.airlock.registry.ConfigRevision revision) {
        deployments.insert(revision);
    }

    @Override
    public Optional<dev.airlock.registry.ConfigRevision> latestConfigRevision() {
        return deployments.latestRevision();
    }

    @Override
    public void insertKey(ApiKeyRecord key) {
        keys.insert(key);
    }

    @Override
    public Optional<ApiKeyRecord> findKey(String id) {
        return keys.find(id);
    }

    @Override
    public List<ApiKeyRecord> listKeys() {
        return keys.list();
    }

    @Override
    public boolean revokeKey(String id, Instant at) {
        return keys.revoke(id, at);
    }

    @Override
    public void append(Decision decision) {
        appends.append(decision);
    }

    @Override
    public void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
        decisions.search(query, visitor);
    }

    @Override
    public Optional<Decision> findDecision(String id) {
        return decisions.find(id);
    }

    @Override
    public List<Decision> recentDecisions(String tenant, int limit) {
        return decisions.recent(tenant, limit);
    }

    @Override
    public void forEachLink(Consumer<ChainLink> visitor) {
        audit.forEachLink(visitor);
    }

    @Override
    public void scanStored(long after, long upTo, dev.airlock.audit.AuditChain.StoredRecords visitor) {
        audit.scanStored(after, upTo, visitor);
    }

    @Override
    public int parallelScans() {
        return database.parallelReads();
    }

    @Override
    public Optional<String> recordIdAt(long seq) {
        return audit.recordIdAt(seq);
    }

    @Override
    public void appendEvent(AuditEvent event) {
        audit.appendEvent(event);
    }

    @Override
    public long chainSize() {
        return audit.chainSize();
    }

    @Override
    public Iterator<byte[]> leafHashes(long after, long upTo) {
        return audit.leafHashes(after, upTo);
    }

    @Override
    public Optional<String> linkAt(long seq) {
        return audit.linkAt(seq);
    }

    @Override
    public Optional<Long> positionOf(String recordId) {
        return audit.positionOf(recordId);
    }

    @Override
    public void searchEvents(String tenant, Instant from, Instant to, Predicate<AuditEvent> visitor) {
        audit.searchEvents(tenant, from, to, visitor);
    }

    @Override
    public Optional<ChainLink> findLink(String recordId) {
        return audit.findLink(recordId);
    }

    @Override
    public void sealWith(dev.airlock.audit.AuditSigner signer) {
        seals.sealWith(signer);
    }

    @Override
    public List<dev.airlock.audit.Seal> seals(long after) {
        return seals.after(after);
    }

    @Override
    public long blockCount() {
        return audit.blockCount();
    }

    @Override
    public void addBlockRoots(long firstIndex, List<byte[]> roots) {
        audit.addBlockRoots(firstIndex, roots);
    }

    @Override
    public List<byte[]> blockRoots(long from, long to) {
        return audit.blockRoots(from, to);
    }

    @Override
    public boolean addCheckpoint(Checkpoint checkpoint, MerkleTree.Frontier frontier) {
        return audit.addCheckpoint(checkpoint, frontier);
    }

    @Override
    public Optional<StoredCheckpoint> latestCheckpoint() {
        return audit.latestCheckpoint();
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return audit.checkpoints();
    }

    @Override
    public List<SigningKey> signingKeys() {
        return audit.signingKeys();
    }

    @Override
    public void addSigningKey(SigningKey key) {
        audit.addSigningKey(key);
    }

    @Override
    public int eraseSubject(String tenant, String subject, String actor, Instant at) {
        AuditTable.Erased erased = audit.eraseSubject(tenant, subject, at);
        audit.appendEvent(new AuditEvent(
                DecisionIds.next(at.toEpochMilli()),
                at,
                tenant,
                actor,
                AdminAction.SUBJECT_ERASED.id(),
                SubjectKeys.ref(tenant, subject),
                Map.of(
                        "records", Integer.toString(erased.records()),
                        "reviews_ended", Integer.toString(erased.reviewsEnded()),
                        "reviews_cleared", Integer.toString(erased.reviewsCleared()))));
        return erased.records();
    }

    @Override
    public int purgeExpiredContent(Instant now, String actor) {
        int purged = audit.purgeExpiredContent(now);
        if (purged > 0) {
            audit.appendEvent(new AuditEvent(
                    DecisionIds.next(now.toEpochMilli()),
                    now,
                    null,
                    actor,
                    AdminAction.CONTENT_PURGED.id(),
                    null,
                    Map.of("records", Integer.toString(purged), "expired_before", now.toString())));
        }
        return purged;
    }

    @Override
    public BigDecimal spent(Budget.Scope scope, String subject, Instant from, Instant to) {
        return spend.spent(scope, subject, from, to);
    }

    @Override
    public List<SpendRow> spend(String tenant, Instant from, Instant to, String groupBy, boolean monthly) {
        return spend.spend(tenant, from, to, groupBy, monthly);
    }

    @Override
    public void recordLoadTest(LoadTestResult result) {
        loadTests.insert(result);
    }

    @Override
    public List<LoadTestResult> loadTests(String model) {
        return loadTests.forModel(model);
    }

    @Override
    public void recordDrill(Drill drill) {
        readiness.insert(drill);
    }

    @Override
    public List<Drill> drills(String model) {
        return readiness.drills(model);
    }

    @Override
    public void recordEvaluation(Evaluation evaluation) {
        readiness.insert(evaluation);
    }

    @Override
    public List<Evaluation> evaluations(String model) {
        return readiness.evaluations(model);
    }

    @Override
    public void recordWaiver(Waiver waiver) {
        readiness.insert(waiver);
    }

    @Override
    public List<Waiver> waivers(String model) {
        return readiness.waivers(model);
    }

    @Override
    public void close() {
        appends.close();
        database.close();
    }
}
