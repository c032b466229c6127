package dev.airlock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Map;

/**
 * Each core package has one entry (its door); an implementation class is package-private. What else is public is
 * listed here with the reason it has to be: a port another module implements, a value other packages read, a
 * pipeline stage, or a named use elsewhere. A new public type fails this test until it is listed with its reason
 * or made package-private behind its package's entry (a static factory or a method of the entry). A listed type that
 * is no longer public fails too, so the list stays the truth about what core exposes.
 */
@AnalyzeClasses(packages = "dev.airlock", importOptions = ImportOption.DoNotIncludeTests.class)
class PublicTypesTest {
    private static final String ENTRY = "the package's entry";
    private static final String PORT =
            "a port: implemented in airlock-store or airlock-server, handed in by the runtime";
    private static final String VALUE = "a value other packages or modules read";
    private static final String STAGE = "a pipeline stage: the runtime plugs another package's implementation into it";

    /** Public top-level types by package-relative name ({@code audit.AuditTrail}), with why each is public. */
    static final Map<String, String> PUBLIC = Map.ofEntries(
            // audit
            entry("audit.AuditTrail", ENTRY),
            entry("audit.AdminAction", "the closed set of admin event kinds, named by deploy, review and the server"),
            entry("audit.AdminEvents", PORT),
            entry("audit.AuditChain", PORT),
            entry("audit.Erasure", PORT),
            entry("audit.Publication", PORT),
            entry("audit.AuditEvent", VALUE),
            entry("audit.AuditRecord", VALUE),
            entry("audit.ChainLink", VALUE),
            entry("audit.Checkpoint", VALUE),
            entry("audit.ConsistencyProof", VALUE),
            entry("audit.InclusionProof", VALUE),
            entry("audit.Seal", VALUE),
            entry("audit.SigningKey", VALUE),
            entry("audit.Span", VALUE),
            entry("audit.VerificationReport", "the sealed verification result the CLI renders"),
            entry("audit.ChainVerifier", "verifies a chain through its port; run by the CLI, the store and the bench"),
            entry("audit.Checkpointer", "signs checkpoints; run by the server's audit jobs and the CLI"),
            entry("audit.AuditHash", "the canonical encoding and leaf hash airlock-store's tables compute"),
            entry("audit.AuditSigner", "signs seals and checkpoints; the store seals with it, server and CLI load it"),
            entry("audit.MerkleTree", "the tree airlock-store's audit table keeps frontiers of"),
            entry("audit.Progress", "progress of long chain work: fed by the store, shown by the CLI"),
            entry("audit.Sha256", "the one SHA-256 helper of auth, cache, review, pipeline and the server"),
            // auth
            entry("auth.ApiKeys", ENTRY),
            entry("auth.KeyStore", PORT),
            entry("auth.ApiKeyRecord", VALUE),
            // cache
            entry("cache.AnswerCache", ENTRY),
            // cost
            entry("cost.Budgets", ENTRY),
            entry("cost.SpendSource", PORT),
            entry("cost.BudgetLedger", PORT),
            entry("cost.TokenBuckets", PORT),
            entry("cost.Budget", VALUE),
            entry("cost.SpendRow", VALUE),
            entry(
                    "cost.RateLimits",
                    "its Limit is bound from configuration; the runtime builds it over shared buckets"),
            // decision
            entry("decision.Decision", ENTRY),
            entry("decision.DecisionLog", PORT),
            entry("decision.Content", VALUE),
            entry("decision.DecisionQuery", VALUE),
            entry("decision.Outcome", VALUE),
            entry("decision.Principal", VALUE),
            entry("decision.RequestKind", VALUE),
            entry("decision.Role", VALUE),
            entry("decision.StageNote", VALUE),
            entry("decision.Stop", VALUE),
            entry("decision.Usage", VALUE),
            entry("decision.WorkflowStep", VALUE),
            entry("decision.DecisionIds", "mints ids for the store, pipeline, deploy, review and the CLI"),
            entry("decision.UnstorableText", "thrown by the store, caught by the pipeline"),
            // deploy
            entry("deploy.DeploymentDesk", ENTRY),
            entry("deploy.Registry", "builds Deployments, the readiness gate and the desk from the declared models"),
            entry("deploy.Deployments", "the read side, read by the runtime, routes and commands"),
            entry("deploy.DeploymentStore", PORT),
            entry("deploy.ServedVersions", PORT),
            entry("deploy.ServingNode", VALUE),
            entry(
                    "deploy.NodeServing",
                    "the node's view of deployments: its resolve stage and what it cannot serve, read by health, metrics and alerts"),
            entry("deploy.Deployment", VALUE),
            entry("deploy.DeploymentChange", VALUE),
            entry(
                    "deploy.CanaryWatch",
                    "its Limits are bound from configuration; the runtime feeds it recorded Decisions"),
            // evidence: values only, no behaviour
            entry("evidence.Evaluation", VALUE),
            entry("evidence.LoadTestResult", VALUE),
            // guard: no single entry; each guard is built by the runtime from the options the server binds
            entry("guard.PiiGuard", "a guard; its Policy and Action are bound by the server's model options"),
            entry("guard.InjectionGuard", "a guard; its Policy and Action are bound by the server's model options"),
            entry("guard.GroundingGuard", "a guard; its Policy and Action are bound by the server's model options"),
            entry("guard.OutputSchemaGuard", "a guard at input and output; the runtime plugs one instance into both"),
            entry("guard.InjectionHeuristics", "also scores uploaded documents (HTTP) and the injection eval (CLI)"),
            entry("guard.WindowScore", "the injection classifier's result, returned by airlock-models"),
            // pii
            entry("pii.PiiDetector", ENTRY),
            entry(
                    "pii.EntityTagger",
                    "a port implemented in airlock-models (the entity model), found through ServiceLoader"),
            // pipeline
            entry("pipeline.Pipeline", ENTRY),
            entry("pipeline.Authenticate", STAGE),
            entry("pipeline.Admit", STAGE),
            entry("pipeline.Resolve", STAGE),
            entry("pipeline.GuardInput", STAGE),
            entry("pipeline.GuardOutput", STAGE),
            entry("pipeline.Review", STAGE),
            entry("pipeline.Record", STAGE),
            entry("pipeline.Observe", STAGE),
            entry("pipeline.DecisionDraft", "the Decision being built, which every stage implementation works on"),
            entry("pipeline.Caller", VALUE),
            entry("pipeline.Decided", VALUE),
            entry("pipeline.Resolution", VALUE),
            entry("pipeline.ShadowComparison", VALUE + "; its Log is a port"),
            entry("pipeline.ContentText", "the text of a request or answer, read by policy and review"),
            entry("pipeline.Invoke", "its STAGE names the stops airlock-models raises"),
            // policy
            entry("policy.Policies", ENTRY),
            entry("policy.Policy", VALUE),
            entry("policy.Rule", VALUE),
            // provider: the language every provider kind speaks
            entry("provider.Provider", ENTRY),
            entry("provider.ChatProvider", "a provider kind, implemented in airlock-server and airlock-models"),
            entry("provider.EmbeddingProvider", "a provider kind, implemented in airlock-server and airlock-models"),
            entry("provider.TabularModel", "a provider kind, implemented in airlock-models"),
            entry("provider.ChunkSink", "where a streaming provider writes; implemented by the HTTP routes"),
            entry("provider.ProviderException", "thrown by providers in server and models, handled by the pipeline"),
            entry("provider.AiAnswer", VALUE),
            entry("provider.AiRequest", VALUE),
            entry("provider.ChatChunk", VALUE),
            entry("provider.ChatMessage", VALUE),
            entry("provider.ChatRequest", VALUE),
            entry("provider.ChatResult", VALUE),
            entry("provider.EmbeddingRequest", VALUE),
            entry("provider.EmbeddingResult", VALUE),
            entry("provider.PredictRequest", VALUE),
            entry("provider.Prediction", VALUE),
            entry("provider.StreamSummary", VALUE),
            entry("provider.Vectors", "cosine and norms shared by cache, guard and retrieval"),
            // readiness
            entry("readiness.Readiness", ENTRY),
            entry("readiness.ReadinessGate", "the gate deploy promotes through; built from declared models"),
            entry("readiness.EvidenceStore", PORT),
            entry("readiness.LiveDrift", PORT),
            entry("readiness.Drill", VALUE),
            entry("readiness.Operations", VALUE),
            entry("readiness.Waiver", VALUE),
            entry(
                    "readiness.EvidenceDesk",
                    "the use case every adapter records drills, load tests and evaluations through"),
            // registry
            entry("registry.ModelCatalog", ENTRY),
            entry("registry.ConfigRevisions", PORT),
            entry("registry.CachePolicy", VALUE),
            entry("registry.ConfigRevision", VALUE),
            entry("registry.ModelSpec", VALUE),
            entry("registry.PromptTemplate", VALUE),
            entry("registry.Retention", VALUE),
            entry("registry.ServedModel", VALUE),
            entry("registry.VersionInfo", VALUE),
            // retrieval
            entry("retrieval.Retrieval", ENTRY),
            entry("retrieval.DocumentStore", PORT),
            entry("retrieval.Document", VALUE),
            entry("retrieval.Trust", VALUE),
            // review
            entry("review.ReviewDesk", ENTRY),
            entry("review.ReviewStore", PORT),
            entry("review.ReviewCallback", PORT),
            entry("review.HeldReview", VALUE),
            // routing
            entry("routing.RoutePolicy", ENTRY),
            entry("routing.Target", VALUE),
            entry("routing.Price", VALUE),
            entry("routing.BreakerPolicy", VALUE),
            entry("routing.Breakers", "state shared by every call: built once by the runtime, used by the pipeline"),
            entry("routing.Bulkheads", "state shared by every call: built once by the runtime, used by the pipeline"),
            // workflow
            entry("workflow.Workflows", ENTRY),
            entry("workflow.RunStore", PORT),
            entry("workflow.ToolTransport", PORT),
            entry("workflow.PassageSearch", PORT),
            entry("workflow.Workflow", "a declared workflow, built by the server's configuration"),
            entry("workflow.Run", VALUE),
            entry("workflow.RunEvent", VALUE),
            // time
            entry("time.Time", ENTRY),
            entry("time.Ticker", "the part of Time a class takes when it only measures"),
            entry("time.Sleeper", "the part of Time a class takes when it only waits"),
            entry("time.FakeTime", "test support, used by tests of other packages and modules"),
            // monitoring, alerts and the key and document use cases
            entry(
                    "auth.KeyDesk",
                    "the package's use cases (issue, revoke, declared keys), called by the CLI and the runtime"),
            entry(
                    "retrieval.DocumentDesk",
                    "the package's use cases (trust, ingest, release), called by the HTTP routes"),
            entry("alert.Alerts", ENTRY),
            entry("alert.AlertStore", PORT),
            entry("alert.SignalSource", PORT),
            entry("alert.Channel", PORT),
            entry("alert.Alert", VALUE),
            entry("alert.AlertChange", VALUE),
            entry("alert.Notification", VALUE),
            entry("alert.Route", VALUE),
            entry("alert.Rule", VALUE),
            entry("alert.Signal", VALUE),
            entry("alert.Silence", VALUE),
            entry("monitor.Profiles", ENTRY),
            entry("monitor.ProfileStore", PORT),
            entry("monitor.Profiler", "a watcher the runtime plugs into the observe stage"),
            entry(
                    "monitor.DriftWatch",
                    "the use case the drift command and route share: recent windows against the reference"),
            entry("monitor.Profile", VALUE),
            entry("monitor.Column", VALUE),
            entry("monitor.NumericColumn", VALUE),
            entry("monitor.CategoricalColumn", VALUE),
            entry("monitor.ColumnKind", VALUE),
            entry("monitor.ProfileSpec", VALUE),
            entry("monitor.drift.Drift", ENTRY),
            entry("monitor.drift.ColumnProfile", VALUE),
            entry("monitor.drift.DriftMethod", VALUE),
            entry("monitor.drift.DriftOptions", VALUE),
            entry("monitor.drift.DriftReport", VALUE),
            entry("response.ResponseStore", PORT),
            entry("response.StoredResponse", VALUE),
            entry("monitor.outcome.Outcomes", ENTRY),
            entry("monitor.outcome.OutcomeStore", PORT),
            entry("monitor.outcome.OutcomeWatcher", "a watcher the runtime plugs into the observe stage"),
            entry("monitor.outcome.BusinessCase", VALUE),
            entry("monitor.outcome.FairnessPolicy", VALUE),
            entry("monitor.outcome.FairnessReport", VALUE),
            entry("monitor.outcome.Feedback", VALUE),
            entry("monitor.outcome.Interval", VALUE),
            entry("monitor.outcome.KeptPrediction", VALUE),
            entry("monitor.outcome.LabelResult", VALUE),
            entry("monitor.outcome.LiveMetrics", VALUE),
            entry("monitor.outcome.MonitorOnly", VALUE),
            entry("monitor.outcome.OutcomeReport", VALUE),
            entry("monitor.outcome.Roi", VALUE),
            entry("monitor.outcome.Watched", VALUE),
            // incidents
            entry("incident.Incidents", ENTRY),
            entry("incident.IncidentStore", PORT),
            entry("incident.Incident", VALUE),
            entry("incident.IncidentEntry", VALUE),
            entry("incident.PostIncident", VALUE),
            // retraining
            entry("monitor.retrain.Retraining", ENTRY),
            entry("monitor.retrain.RetrainStore", PORT),
            entry("monitor.retrain.Trigger", "port: a command or webhook trigger, implemented in the server"),
            entry("monitor.retrain.RetrainRun", VALUE),
            entry("monitor.retrain.Candidate", VALUE));

    @ArchTest
    static final ArchRule onlyListedTypesArePublic = classes()
            .that()
            .areTopLevelClasses()
            .and()
            .arePublic()
            .should(beListed())
            .because("an implementation class stays package-private behind its package's entry; a type that has to be"
                    + " public is listed in PublicTypesTest.PUBLIC with the reason");

    @ArchTest
    static void everyListedTypeIsPublic(JavaClasses classes) {
        List<String> stale = PUBLIC.keySet().stream()
                .filter(name -> !classes.contain("dev.airlock." + name)
                        || !classes.get("dev.airlock." + name).getModifiers().contains(JavaModifier.PUBLIC))
                .sorted()
                .toList();
        assertThat(stale)
                .as("listed as public in PublicTypesTest.PUBLIC but package-private or gone: drop them from the list")
                .isEmpty();
    }

    private static ArchCondition<JavaClass> beListed() {
        return new ArchCondition<>("be listed in PublicTypesTest.PUBLIC") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                String name = type.getName().substring("dev.airlock.".length());
                boolean listed = PUBLIC.containsKey(name);
                events.add(new SimpleConditionEvent(
                        type,
                        listed,
                        name + (listed ? " is listed: " + PUBLIC.get(name) : " is public but not listed")));
            }
        };
    }
}
