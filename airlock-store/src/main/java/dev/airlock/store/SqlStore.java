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

/**
 * The store on any SQL database {@link Database} can open: builds the tables over one database, in the order their
 * shared parts need (seals before the Decisions table that seals its batches, the Decisions table before the audit
 * chain that reads it and the group commit that writes it), and hands each out as the port it implements.
 */
final class SqlStore implements Store {
    private final Database database;
    private final KeyTable keys;
    private final DecisionTable decisions;
    private final AuditTable audit;
    private final GroupCommit appends;
    private final SpendTable spend;
    private final ReadinessTable readiness;
    private final DeploymentTable deployments;
    private final ReviewTable reviews;
    private final DocumentTable documents;
    private final LedgerTable ledger;
    private final BucketTable buckets;
    private final ProfileTable profiles;
    private final AlertTable alerts;
    private final OutcomeTable outcomes;
    private final IncidentTable incidents;
    private final ServingNodeTable servingNodes;
    private final RetrainTable retraining;
    private final RunTable runs;
    private final ResponseTable responses;

    SqlStore(Database database) {
        this.database = database;
        this.keys = new KeyTable(database);
        Seals seals = new Seals(database);
        this.decisions = new DecisionTable(database, seals);
        this.audit = new AuditTable(database, decisions, seals);
        this.appends = new GroupCommit(decisions);
        this.spend = new SpendTable(database);
        this.readiness = new ReadinessTable(database);
        this.deployments = new DeploymentTable(database);
        this.reviews = new ReviewTable(database);
        this.documents = new DocumentTable(database);
        this.ledger = new LedgerTable(database, spend);
        this.buckets = new BucketTable(database);
        this.profiles = new ProfileTable(database);
        this.alerts = new AlertTable(database);
        this.outcomes = new OutcomeTable(database);
        this.incidents = new IncidentTable(database);
        this.servingNodes = new ServingNodeTable(database);
        this.retraining = new RetrainTable(database);
        this.runs = new RunTable(database);
        this.responses = new ResponseTable(database);
        decisions.fillCanonical();
        audit.fillCanonical();
    }

    /** The Decisions table itself, for tests that write a batch of their own making. */
    DecisionTable decisionTable() {
        return decisions;
    }

    @Override
    public KeyStore keyStore() {
        return keys;
    }

    @Override
    public DecisionLog decisionLog() {
        return appends;
    }

    @Override
    public AuditChain auditChain() {
        return audit;
    }

    @Override
    public Erasure erasure() {
        return audit;
    }

    @Override
    public SpendSource spendSource() {
        return spend;
    }

    @Override
    public DeploymentStore deploymentStore() {
        return deployments;
    }

    @Override
    public ShadowComparison.Log shadowLog() {
        return deployments;
    }

    @Override
    public ConfigRevisions configRevisions() {
        return deployments;
    }

    @Override
    public ReviewStore reviewStore() {
        return reviews;
    }

    @Override
    public DocumentStore documentStore() {
        return documents;
    }

    @Override
    public EvidenceStore evidenceStore() {
        return readiness;
    }

    @Override
    public BudgetLedger budgetLedger() {
        return ledger;
    }

    @Override
    public TokenBuckets tokenBuckets() {
        return buckets;
    }

    @Override
    public ProfileStore profileStore() {
        return profiles;
    }

    @Override
    public AlertStore alertStore() {
        return alerts;
    }

    @Override
    public IncidentStore incidentStore() {
        return incidents;
    }

    @Override
    public OutcomeStore outcomeStore() {
        return outcomes;
    }

    @Override
    public ServedVersions servedVersions() {
        return servingNodes;
    }

    @Override
    public RetrainStore retrainStore() {
        return retraining;
    }

    @Override
    public RunStore runStore() {
        return runs;
    }

    @Override
    public ResponseStore responseStore() {
        return responses;
    }

    @Override
    public void close() {
        appends.close();
        database.close();
    }
}
