package dev.airlock.store;

import dev.airlock.audit.AuditChain;
import dev.airlock.audit.Erasure;
import dev.airlock.auth.KeyStore;
import dev.airlock.cost.BudgetLedger;
import dev.airlock.cost.SpendSource;
import dev.airlock.cost.TokenBuckets;
import dev.airlock.decision.DecisionLog;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.registry.ConfigRevisions;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.review.ReviewStore;

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
                ReviewStore,
                DocumentStore,
                EvidenceStore,
                ConfigRevisions,
                Erasure,
                AutoCloseable {

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
}
