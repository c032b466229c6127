package dev.airlock.store;

import dev.airlock.alert.AlertStore;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.Erasure;
import dev.airlock.auth.KeyStore;
import dev.airlock.cost.BudgetLedger;
import dev.airlock.cost.SpendSource;
import dev.airlock.cost.TokenBuckets;
import dev.airlock.decision.DecisionLog;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.deploy.ServedVersions;
import dev.airlock.incident.IncidentStore;
import dev.airlock.monitor.ProfileStore;
import dev.airlock.monitor.outcome.OutcomeStore;
import dev.airlock.monitor.retrain.RetrainStore;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.registry.ConfigRevisions;
import dev.airlock.response.ResponseStore;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.review.ReviewStore;
import dev.airlock.workflow.RunStore;
import org.jspecify.annotations.Nullable;

/**
 * Airlock's database, in an embedded SQLite file or in PostgreSQL: it opens the database and hands out the ports core
 * declares, each implemented by the table (or group of tables) that keeps it. Both databases run the same Flyway
 * migrations, applied when the store opens, and pass the same contract suite per port.
 *
 * <pre>{@code
 * try (Store store = Store.open("jdbc:sqlite:.airlock/airlock.db", null, null)) {
 *     store.keyStore().insertKey(ApiKeys.issue("acme", Role.APP, "loan-service", Instant.now(), null).record());
 *     var recorder = Record.storing(store.decisionLog(), meters); // a part gets the one port it uses
 *     var trail = new AuditTrail(store.auditChain(), clock);
 *     List<Decision> latest = store.decisionLog().recentDecisions("acme", 20);
 * }
 * }</pre>
 *
 * <p>Why this shape: a route, command or service takes only the ports it uses, and the store is where they come from;
 * the store itself is none of them, so whoever holds it hands each part its port and no part reaches past its port
 * into another's tables. The cross-cutting parts stay behind the ports that need them: the
 * decision log appends through group commit, which seals every batch and advances the chain head; the audit chain
 * reads and signs seals; erasure shreds subject keys and audits itself in the same chain.
 *
 * <p>A store is safe to use from many threads, virtual or not. Instants round-trip exactly (nanoseconds) within
 * 1677-09-21 to 2262-04-11; outside that range writes fail with {@link IllegalArgumentException}. Writing a key
 * or Decision whose id is already stored fails with {@link IllegalStateException}.
 */
public interface Store extends AutoCloseable {

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

    /** Profiles of model versions per window (each node's partial) and reference profiles. */
    ProfileStore profileStore();
    /** Alerts, their notifications and silences, and the lease of the node that evaluates them. */
    AlertStore alertStore();
    /** What answered predictions said, their labels, and feedback on Decisions. */
    OutcomeStore outcomeStore();
    /** What each serving node can serve, published at its heartbeat; promotion reads it. */
    ServedVersions servedVersions();

    /** Incidents, the alerts each took, and their timeline entries. */
    IncidentStore incidentStore();
    /** Retraining runs and the candidates they registered. */
    RetrainStore retrainStore();
    /** Stored responses of the Responses API; erased with their subject and purged with expired content. */
    ResponseStore responseStore();
    /** Workflow runs, checkpointed after every step, and their history. */
    RunStore runStore();

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
    static Store open(String jdbcUrl, @Nullable String user, @Nullable String password) {
        return new SqlStore(Database.open(jdbcUrl, user, password));
    }

    /** Closes the store's connections. Idempotent. */
    @Override
    void close();
}
