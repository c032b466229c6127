package dev.airlock.store;

import dev.airlock.audit.AuditChain;
import dev.airlock.auth.KeyStore;
import dev.airlock.cost.SpendRow;
import dev.airlock.cost.SpendSource;
import dev.airlock.decision.DecisionLog;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.readiness.Drill;
import dev.airlock.readiness.Waiver;
import java.time.Instant;
import java.util.List;

/**
 * Airlock's database: API keys and Decisions, in an embedded SQLite file or in PostgreSQL. Both run the same
 * Flyway migrations, applied when the store opens, and pass the same contract tests.
 *
 * <pre>{@code
 * try (Store store = Store.open("jdbc:sqlite:.airlock/airlock.db", null, null)) {
 *     store.insertKey(ApiKeys.issue("acme", Role.APP, "loan-service", Instant.now(), null).record());
 *     store.append(decision);
 *     List<Decision> latest = store.recentDecisions("acme", 20);
 * }
 * }</pre>
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
                dev.airlock.review.ReviewStore,
                dev.airlock.retrieval.DocumentStore,
                AutoCloseable {

    /**
     * Budgets' spend and reservations kept in this database, for nodes that share it; {@link
     * dev.airlock.cost.BudgetLedger#shared()} says whether other nodes can (PostgreSQL) or not (SQLite).
     */
    dev.airlock.cost.BudgetLedger budgetLedger();

    /** Rate-limit token buckets kept in this database, for nodes that share it. */
    dev.airlock.cost.TokenBuckets tokenBuckets();

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

    /**
     * From now on, seals every batch of audit records this store writes (Decisions and events) with {@code signer}'s
     * key, in the transaction that writes it (see {@link dev.airlock.audit.Seal}). Call it before the first append: a
     * node signs checkpoints only over sealed records, so records written before are left unsigned.
     */
    void sealWith(dev.airlock.audit.AuditSigner signer);

    /**
     * Erases a data subject by crypto-shredding: destroys the subject's keys, so content kept for them reads as
     * erased from now on, and appends a {@code subject.erased} event naming the subject only by its reference. The
     * chain still verifies. Returns how many Decisions held readable content of the subject.
     */
    int eraseSubject(String tenant, String subject, String actor, Instant at);

    /**
     * Removes content whose retention ran out ({@code content_expires_at <= now}), keeping the digest the chain commits
     * to, and appends a {@code content.purged} event when anything was removed. Returns how many Decisions lost
     * content.
     */
    int purgeExpiredContent(Instant now, String actor);

    /**
     * A tenant's spend per UTC day, or per month when {@code monthly}, oldest first.
     *
     * @param groupBy {@code model}, {@code key} or null for one row per period
     * @throws IllegalArgumentException for another {@code groupBy}
     */
    List<SpendRow> spend(String tenant, Instant from, Instant to, String groupBy, boolean monthly);

    /** Keeps a load test's result as evidence. */
    void recordLoadTest(LoadTestResult result);

    /** A model's load test results, oldest first. */
    List<LoadTestResult> loadTests(String model);

    /** Keeps a drill's result as readiness evidence. */
    void recordDrill(Drill drill);

    /** A model's drills, oldest first. */
    List<Drill> drills(String model);

    /** Keeps an evaluation on a production sample as readiness evidence. */
    void recordEvaluation(Evaluation evaluation);

    /** A model's evaluations, oldest first. */
    List<Evaluation> evaluations(String model);

    /** Keeps an admin's waiver of a failed readiness check (audit it too). */
    void recordWaiver(Waiver waiver);

    /** A model's waivers, oldest first. */
    List<Waiver> waivers(String model);

    /** A model's shadow comparisons since {@code from}, oldest first, until the visitor returns false. */
    void shadowComparisons(String model, Instant from, java.util.function.Predicate<ShadowComparison> visitor);

    /** Keeps a configuration applied with {@code airlock apply}. */
    void recordConfigRevision(dev.airlock.registry.ConfigRevision revision);

    /** The configuration applied last, if any was. */
    java.util.Optional<dev.airlock.registry.ConfigRevision> latestConfigRevision();

    /** Closes the store's connections. Idempotent. */
    @Override
    void close();
}
