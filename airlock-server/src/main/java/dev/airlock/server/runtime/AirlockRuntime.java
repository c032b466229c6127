package dev.airlock.server.runtime;

import dev.airlock.alert.Alerts;
import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.Checkpointer;
import dev.airlock.auth.ApiKeys;
import dev.airlock.auth.KeyDesk;
import dev.airlock.cache.AnswerCache;
import dev.airlock.cost.Budget;
import dev.airlock.cost.BudgetLedger;
import dev.airlock.cost.Budgets;
import dev.airlock.cost.RateLimits;
import dev.airlock.cost.TokenBuckets;
import dev.airlock.decision.Stop;
import dev.airlock.deploy.CanaryWatch;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.Deployments;
import dev.airlock.deploy.NodeServing;
import dev.airlock.guard.GroundingGuard;
import dev.airlock.guard.InjectionGuard;
import dev.airlock.guard.OutputSchemaGuard;
import dev.airlock.guard.PiiGuard;
import dev.airlock.guard.WindowScore;
import dev.airlock.incident.Incidents;
import dev.airlock.models.InjectionClassifier;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.Profiler;
import dev.airlock.monitor.Profiles;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.monitor.retrain.Retraining;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.pipeline.Observe;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.pipeline.Record;
import dev.airlock.provider.ChatRequest;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.PromptTemplate;
import dev.airlock.review.ReviewDesk;
import dev.airlock.routing.Breakers;
import dev.airlock.routing.Bulkheads;
import dev.airlock.server.alert.AlertJobs;
import dev.airlock.server.alert.IncidentWiring;
import dev.airlock.server.audit.AuditJobs;
import dev.airlock.server.audit.PublishedCheckpoints;
import dev.airlock.server.audit.SigningKeyFile;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.metrics.NodeMetrics;
import dev.airlock.server.retrain.RetrainJobs;
import dev.airlock.store.Store;
import dev.airlock.time.Time;
import dev.airlock.workflow.Workflows;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.PublicKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airlock without HTTP: the store, the signing key and audit jobs, the providers, the catalog, budgets, guards, the
 * review desk, deployments, metrics and the decision pipeline, wired from one configuration. The server
 * ({@code dev.airlock.server.Airlock}) adds the HTTP API on top; a JVM application embeds this and calls the same
 * pipeline in-process through {@link #client(String)}, with its Decisions recorded, sealed and audited alike.
 *
 * <pre>{@code
 * try (AirlockRuntime airlock = AirlockRuntime.start(ConfigLoader.fromSystemEnvironment().load(Path.of("airlock.yaml")))) {
 *     Reply<Prediction> risk = airlock.client(appKey).predict("loan-risk", features);
 * }
 * }</pre>
 */
public final class AirlockRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AirlockRuntime.class);
    private final Store store;
    private final Providers providers;
    private final ModelCatalog catalog;
    private final Pipeline pipeline;
    private final @Nullable String bootstrappedAdminKey;
    private final JvmGcMetrics gcMetrics;
    private final AuditJobs auditJobs;
    private final Budgets budgets;
    private final Deployments deployments;
    private final DeploymentDesk deploymentDesk;
    private final ReviewDesk reviewDesk;
    private final AirlockConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry metrics;
    private final PromptTemplate.Catalog prompts;
    private final SigningKeyFile keyFile;
    private final Profiler profiler;
    private final Profiles profiles;
    private final Tracing tracing;
    private final AlertJobs alertJobs;
    private final Incidents incidents;
    private final RetrainJobs retrainJobs;
    private final Outcomes outcomes;
    private final NodeServing nodeServing;
    private final ServingHeartbeat heartbeat;
    private final WorkflowWiring workflows;

    private AirlockRuntime(AirlockConfig config, Clock clock) {
        this(config, clock, Set.of());
    }

    private AirlockRuntime(AirlockConfig config, Clock clock, Set<String> failing) {
        this.store = Store.open(
                config.store().url(), config.store().user(), config.store().password());
        try {
            // Sealed from the first record this node writes: checkpoints are signed over sealed records only.
            SigningKeyFile keyFile = SigningKeyFile.of(config);
            AuditChain chain = store.auditChain();
            AuditSigner signer = keyFile.loadOrCreate(chain, clock.instant());
            chain.sealWith(signer);
            AuditTrail trail = new AuditTrail(chain, clock);
            trail.record(
                    AdminAction.CONFIG_LOADED,
                    null,
                    "airlock",
                    configName(config),
                    Map.of("sha256", configDigest(config)));
            store.configRevisions()
                    .latestConfigRevision()
                    .filter(applied -> !applied.sha256().equals(configDigest(config)))
                    .ifPresent(applied -> LOG.warn(
                            "this node's configuration {} is not the one applied last (revision {}, by {} at {});"
                                    + " airlock plan -f {} shows the difference",
                            configName(config),
                            applied.id(),
                            applied.actor(),
                            applied.at(),
                            configName(config)));
            this.outcomes = OutcomePolicies.outcomes(config, store, trail, clock);
            KeyDesk keys = new KeyDesk(store.keyStore(), trail, clock);
            if (keys.applyDeclared(declaredKeys(config)) instanceof KeyDesk.Declaration.Conflict conflict) {
                throw new ConfigException("keys: key '" + conflict.id() + "' already exists in the store with another "
                        + "secret, tenant or role; give the new key another id and revoke the old one");
            }
            this.bootstrappedAdminKey =
                    keys.ensureAdmin(config.bootstrap().adminTenant()).orElse(null);
            var prometheus = NodeMetrics.registry(config);
            this.auditJobs = new AuditJobs(
                    chain,
                    store.erasure(),
                    new Checkpointer(chain, signer, clock, keyFile.keys(), keyFile::keys),
                    clock,
                    config.audit().checkpointEvery(),
                    config.audit().checkpointInterval(),
                    config.audit().purgeInterval(),
                    PublishedCheckpoints.of(config),
                    prometheus);
            this.providers = Providers.build(config, failing);
            this.catalog = providers.catalog(config);
            new JvmMemoryMetrics().bindTo(prometheus);
            new JvmThreadMetrics().bindTo(prometheus);
            new ProcessorMetrics().bindTo(prometheus);
            this.gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(prometheus);
            lifecycleGauges(catalog, prometheus);
            // one node on SQLite keeps budgets and rate limits in memory (exact, no round trip); nodes sharing
            // PostgreSQL keep them in it, so that a hard budget and a rate limit hold for all of them together
            boolean shared = store.budgetLedger().shared();
            this.budgets = new Budgets(
                    budgets(config),
                    shared ? store.budgetLedger() : BudgetLedger.inMemory(store.spendSource()),
                    clock,
                    config.cost().reservationTtl(),
                    prometheus);
            var gate = budgets.admitStage(
                    catalog,
                    rateLimits(config, shared ? store.tokenBuckets() : TokenBuckets.inMemory(), clock),
                    config.cost().defaultOutputTokens());
            ModelCatalog served = catalog;
            AirlockConfig.Built built =
                    Objects.requireNonNull(config.built(), "a node starts from a checked configuration");
            var prompts = built.prompts();
            var policies = built.policies();
            var outputSchemas = new OutputSchemaGuard(outputRepairs(config)::get);
            this.reviewDesk = new ReviewDesk(
                            store.reviewStore(),
                            trail,
                            clock,
                            model -> {
                                var m = config.models().get(model);
                                return m == null
                                                || m.operations() == null
                                                || m.operations().escalation() == null
                                        ? List.of()
                                        : m.operations().escalation();
                            },
                            new ReviewCallbacks(
                                    config.review().callbackHosts(),
                                    config.review().callbackSecret()),
                            config.review().waitFor())
                    .checkDueTimesEvery(config.review().checkInterval());
            var reviewQueue = reviewDesk.reviewStage(
                    config.review().sla(),
                    AnswerBodies::answerBody); // held and released: the body the caller would have got
            Map<String, List<String>> versions = new LinkedHashMap<>();
            catalog.all()
                    .forEach(m -> versions.put(
                            m.spec().name(),
                            List.copyOf(catalog.versions(m.spec().name()).keySet())));
            this.profiler = new Profiler(store.profileStore(), NodeName.of(), new ProfileSpecs(config, catalog))
                    .flushEvery(ProfileSpecs.flushEvery(config));
            this.profiles = new Profiles(store.profileStore(), profiler, catalog, trail, clock);
            ProfileReferences.build(config, catalog, profiles);
            var drift = new LiveDrifts(new DriftWatch(profiles), clock);
            this.deploymentDesk = DeclaredModels.desk(
                    config,
                    store.deploymentStore(),
                    store.evidenceStore(),
                    store.servedVersions(),
                    chain,
                    clock,
                    versions,
                    drift.gate(this::productionVersion));
            this.deployments = deploymentDesk.deployments();
            checkDeployed(deployments, catalog);
            String node = NodeName.of();
            this.nodeServing = deploymentDesk.nodeServing(catalog);
            unservableGauges(catalog, nodeServing, prometheus);
            var canaries = new CanaryWatch(
                    deployments,
                    canaryLimits(config),
                    config.deployments().canaryWindow(),
                    config.deployments().canaryMinCalls(),
                    drift.canary());
            var recorder = Record.storing(store.decisionLog(), prometheus);
            this.retrainJobs = RetrainJobs.of(
                    config,
                    store.retrainStore(),
                    store.decisionLog(),
                    store.outcomeStore(),
                    model -> config.models().containsKey(model)
                            ? Optional.of(deployments.current(model).production())
                            : Optional.empty(),
                    trail,
                    Time.system().withClock(clock));
            this.alertJobs = AlertJobs.start(
                    config,
                    new AlertJobs.Parts(
                            store.alertStore(),
                            store.decisionLog(),
                            store.spendSource(),
                            store.reviewStore(),
                            budgets,
                            prometheus,
                            trail,
                            new DriftWatch(profiles),
                            outcomes,
                            catalog),
                    clock,
                    List.of(retrainJobs.channel()));
            this.incidents = IncidentWiring.node(
                    config,
                    new IncidentWiring.Parts(store.incidentStore(), store.alertStore(), store.deploymentStore(), trail),
                    alertJobs.alerts(),
                    deploymentDesk,
                    prometheus,
                    clock);
            Map<String, PiiGuard.Policy> piiPolicies = piiPolicies(config);
            this.tracing = Tracing.of(config.tracing());
            Pipeline.Builder pipelineBuilder = Pipeline.builder();
            tracing.tracer().ifPresent(pipelineBuilder::tracer);
            this.pipeline = pipelineBuilder
                    .admit(gate)
                    .guardInput(GuardInput.all(
                            OutcomePolicies.monitorOnly(config),
                            new PiiGuard(piiPolicies::get),
                            injectionGuard(config),
                            outputSchemas,
                            streamsThatWouldBeHeld(config),
                            policies.inputGuard()))
                    .guardOutput(GuardOutput.all(outputSchemas, groundingGuard(config), policies.outputGuard()))
                    .review(reviewQueue)
                    .cache(new AnswerCache(() -> served, prometheus))
                    .time(Time.system().withClock(clock))
                    .breakers(new Breakers(Providers.breakerPolicies(config), prometheus))
                    .bulkheads(new Bulkheads(Providers.bulkheadLimits(config), prometheus))
                    .authenticate(ApiKeys.authenticator(store.keyStore(), clock))
                    .resolve(nodeServing.resolveStage())
                    .airlockVersion(BuildInfo.current().display())
                    .record(alertJobs.recordFailures().around(decision -> {
                        boolean stored = recorder.record(decision);
                        canaries.observe(decision);
                        return stored;
                    }))
                    .observe(Observe.all(watchers(config, store)))
                    .shadows(store.shadowLog(), config.deployments().shadowMaxInFlight())
                    .prompts(prompts)
                    .build();
            this.config = config;
            this.clock = clock;
            this.metrics = prometheus;
            this.prompts = prompts;
            this.keyFile = keyFile;
            this.heartbeat = ServingHeartbeat.start(store.servedVersions(), nodeServing, node, versions, clock);
            this.workflows = WorkflowWiring.start(
                    config.workflows(),
                    store,
                    pipeline,
                    policies,
                    trail,
                    Time.system().withClock(clock),
                    node);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** What watches stored Decisions after they are recorded (see {@link Observe}), in order. */
    private List<Observe> watchers(AirlockConfig config, Store store) {
        List<Observe> watchers = new ArrayList<>();
        watchers.add(profiler);
        watchers.add(OutcomePolicies.watcher(config, store));
        return watchers;
    }

    /** The version serving a model's production traffic: the one its model-wide scorecard reads drift of. */
    private String productionVersion(String model) {
        return deployments.current(model).production();
    }

    /** Builds the runtime; returns once the store is open, the keys applied and the pipeline ready. */
    public static AirlockRuntime start(AirlockConfig config) {
        return new AirlockRuntime(config.checked(), Clock.systemUTC());
    }

    /** Builds the runtime on {@code clock}: every time the pipeline, budgets and audit read comes from it. */
    public static AirlockRuntime start(AirlockConfig config, Clock clock) {
        return new AirlockRuntime(config.checked(), clock);
    }

    /**
     * A runtime for a fallback drill's scratch node: the in-process models named in {@code failing} fail every call
     * (see {@code DrillFault}), so the drill can watch the route's fallback answer. Never for serving.
     */
    public static AirlockRuntime startForDrill(AirlockConfig config, Set<String> failing) {
        return new AirlockRuntime(config.checked(), Clock.systemUTC(), Set.copyOf(failing));
    }

    /**
     * A door for one in-process application: its calls run the whole pipeline as the key {@code apiKey} (see
     * {@link InProcessClient} for why a key).
     */
    public InProcessClient client(String apiKey) {
        return new InProcessClient(pipeline, apiKey, null);
    }

    /** Labels, feedback and live accuracy, fairness and ROI reports. */
    public Outcomes outcomes() {
        return outcomes;
    }

    /** The admin key made at this start because none existed; shown once, never stored in clear. */
    public Optional<String> bootstrappedAdminKey() {
        return Optional.ofNullable(bootstrappedAdminKey);
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /** The review queue: held answers and what reviewers do with them. */
    public ReviewDesk reviews() {
        return reviewDesk;
    }

    /** Which version of each model serves production, canary and shadow traffic. */
    /** Deployment changes behind the readiness gate, and waivers of its checks: the same use cases as the admin API. */
    public DeploymentDesk deploymentDesk() {
        return deploymentDesk;
    }

    public Deployments deployments() {
        return deployments;
    }

    /** The pipeline itself; applications call it through {@link #client(String)}, which maps its outcomes. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The configuration this runtime was built from. */
    public AirlockConfig config() {
        return config;
    }

    /** The store every part shares (Decisions, audit, keys, reviews, deployments). */
    public Store store() {
        return store;
    }

    /** Profiles of model versions' inputs and outputs, and their reference profiles. */
    public Profiles profiles() {
        return profiles;
    }

    /** Alerts of this installation: rules, their state, acknowledgements and silences. */
    public Alerts alerts() {
        return alertJobs.alerts();
    }

    /** Retraining: runs started by alerts or by hand, and the candidates they registered. */
    public Retraining retraining() {
        return retrainJobs.retraining();
    }

    /** Retraining with the node's background threads, where runs started over HTTP go on. */
    public RetrainJobs retrainJobs() {
        return retrainJobs;
    }

    /** The budgets calls are charged against. */
    public Budgets budgets() {
        return budgets;
    }

    /** Workflow runs on this node: start, read, approve or reject, cancel (the same use cases as HTTP and CLI). */
    public Workflows workflows() {
        return workflows.workflows();
    }

    /** Incidents of this installation: opened by firing alerts, worked on and resolved by people. */
    public Incidents incidents() {
        return incidents;
    }

    /** The meters of the pipeline, the audit jobs, budgets and the JVM; the server exposes them on /metrics. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The versioned prompts the configuration declares. */
    public PromptTemplate.Catalog prompts() {
        return prompts;
    }

    /** The time every part reads. */
    public Clock clock() {
        return clock;
    }

    /**
     * The checkpoint keys of the signing key file and its retired siblings: proofs are served only against
     * checkpoints they signed.
     */
    public Map<String, PublicKey> trustedKeys() {
        return keyFile.trustedKeys();
    }

    /** What this node is: its id among the nodes, its build, and the deployed versions it cannot serve. */
    public NodeHealth health() {
        return new NodeHealth(heartbeat.node(), BuildInfo.current(), nodeServing.unserved());
    }

    /** Whether the store answers, for readiness probes. */
    public boolean storeAnswers() {
        try {
            store.keyStore().findKey("readiness-probe");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (workflows != null) {
            workflows.close(); // before the pipeline's parts: a run stopped here resumes from its checkpoint
        }
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (tracing != null) {
            tracing.close();
        }
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        if (providers != null) {
            providers.close();
        }
        if (auditJobs != null) {
            auditJobs.close();
        }
        if (reviewDesk != null) {
            reviewDesk.close();
        }
        if (alertJobs != null) {
            alertJobs.close();
        }
        if (retrainJobs != null) {
            retrainJobs.close();
        }
        if (budgets != null) {
            budgets.close();
        }
        if (profiler != null) {
            profiler.close(); // after the pipeline's last calls, before the store: nothing observed is lost
        }
        store.close();
    }

    /** The node's tracing: the SDK and its exporter when {@code tracing} is configured; off otherwise. */
    public Tracing tracing() {
        return tracing;
    }

    /**
     * {@code airlock_deployment_unservable{model}}: 1 while this node cannot serve a version the model's deployment
     * names (production, canary or shadow), else 0; the installation alert {@code deployment_unservable} reads it.
     */
    private static void unservableGauges(ModelCatalog catalog, NodeServing serving, PrometheusMeterRegistry meters) {
        for (var model : catalog.all()) {
            String name = model.spec().name();
            io.micrometer.core.instrument.Gauge.builder(
                            "airlock.deployment.unservable",
                            () -> serving.unserved().stream()
                                            .anyMatch(u -> u.model().equals(name))
                                    ? 1
                                    : 0)
                    .description("1 while this node cannot serve a version the model's deployment names")
                    .tag("model", name)
                    .register(meters);
        }
    }

    /**
     * {@code airlock_target_retirement_timestamp_seconds}: for each target with a retirement date, when it retires
     * (Unix seconds, start of the day UTC); an alert subtracts {@code time()}, as for certificate expiry.
     */
    private static void lifecycleGauges(ModelCatalog catalog, PrometheusMeterRegistry meters) {
        for (var model : catalog.all()) {
            for (var target : model.targets()) {
                if (target.retiresOn() != null) {
                    long retires =
                            target.retiresOn().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                    io.micrometer.core.instrument.Gauge.builder("airlock.target.retirement.timestamp", () -> retires)
                            .description("When a model's target retires (Unix seconds); from then calls skip it")
                            .baseUnit("seconds")
                            .tag("model", model.spec().name())
                            .tag("provider", target.provider())
                            .tag("upstream_model", target.upstreamModel())
                            .register(meters);
                }
            }
        }
    }

    /**
     * Every version an alias names must still be declared: a node must not answer a pinned call with a version it
     * lost. Production, canary and shadow are the node's to follow as far as it can ({@link NodeServing}: it keeps
     * serving the version before and reports it), so a node joining with an older configuration still starts.
     */
    private static void checkDeployed(Deployments deployments, ModelCatalog catalog) {
        for (Deployment d : deployments.all()) {
            var declared = catalog.versions(d.model()).keySet();
            List<String> named = new ArrayList<>(d.aliases().values());
            for (String version : named) {
                if (!declared.contains(version)) {
                    throw new ConfigException("models." + d.model() + ": version '" + version + "' is deployed (see"
                            + " airlock deployments " + d.model() + ") but no longer declared; declared: " + declared
                            + ". Declare it again, or roll back or stop what uses it first.");
                }
            }
        }
    }

    /**
     * The prompt-injection guard of the models that declare one; the embedding classifier (and its in-process model)
     * is loaded only when one of them wants it.
     */
    private static GuardInput injectionGuard(AirlockConfig config) {
        Map<String, InjectionGuard.Policy> policies = new HashMap<>();
        boolean classifier = false;
        for (var e : config.models().entrySet()) {
            var g = e.getValue().guards();
            if (g != null && g.injection() != null) {
                var inj = g.injection();
                policies.put(e.getKey(), inj.policy());
                classifier |= inj.classifier();
            }
        }
        if (policies.isEmpty()) {
            return GuardInput.NONE;
        }
        Function<List<String>, List<WindowScore>> scorer = null;
        if (classifier) {
            var embeddings = new MiniLmEmbeddings("injection-guard");
            var model = InjectionClassifier.bundled();
            // windows, not the embeddings endpoint: a guard scores a text of any length and never refuses it
            scorer = texts -> model.scoreWindows(embeddings, texts);
        }
        return new InjectionGuard(policies::get, scorer);
    }

    /**
     * Refuses streamed calls to models whose grounding check may hold or refuse the complete answer: a stream is on
     * its way before it is complete.
     */
    private static GuardInput streamsThatWouldBeHeld(AirlockConfig config) {
        Set<String> models = new HashSet<>();
        config.models().forEach((name, m) -> {
            if (m.guards() != null
                    && m.guards().grounding() != null
                    && m.guards().grounding().action() != GroundingGuard.Action.FLAG) {
                models.add(name);
            }
        });
        return (draft, request) -> {
            if (draft.spec() != null
                    && models.contains(draft.spec().name())
                    && request instanceof ChatRequest chat
                    && chat.stream()) {
                throw new Stop(
                                GuardInput.STAGE,
                                400,
                                "invalid_request_error",
                                "review_requires_complete_answer",
                                "Model '" + draft.spec().name() + "' checks complete answers against their passages"
                                        + " before returning them; call it without stream.",
                                "stream")
                        .toException();
            }
            return request;
        };
    }

    /** The grounding check of the models that declare one, on the in-process embedding model. */
    private static GuardOutput groundingGuard(AirlockConfig config) {
        Map<String, GroundingGuard.Policy> policies = new HashMap<>();
        config.models().forEach((name, m) -> {
            if (m.guards() != null && m.guards().grounding() != null) {
                var g = m.guards().grounding();
                policies.put(name, g.policy());
            }
        });
        if (policies.isEmpty()) {
            return GuardOutput.NONE;
        }
        var embeddings = new MiniLmEmbeddings("grounding-guard");
        // sentences of any length are compared (a long one by the mean of its windows), never refused
        return new GroundingGuard(policies::get, embeddings::embedWhole);
    }

    /** Per model that validates its structured answers, how many repairs to try. */
    private static Map<String, Integer> outputRepairs(AirlockConfig config) {
        Map<String, Integer> repairs = new HashMap<>();
        config.models().forEach((name, m) -> {
            if (m.output().validate()) {
                repairs.put(name, m.output().maxRepairs());
            }
        });
        return repairs;
    }

    /** Each model's canary limits: its error-rate, latency and drift thresholds. */
    private static Function<String, CanaryWatch.Limits> canaryLimits(AirlockConfig config) {
        Map<String, CanaryWatch.Limits> limits = new HashMap<>();
        config.models().forEach((name, m) -> {
            var t = m.operations() == null ? null : m.operations().thresholds();
            if (t != null && (t.errorRate() != null || t.latencyP99Ms() != null || t.drift() != null)) {
                limits.put(name, new CanaryWatch.Limits(t.errorRate(), t.latencyP99Ms(), t.drift()));
            }
        });
        return limits::get;
    }

    private static Map<String, PiiGuard.Policy> piiPolicies(AirlockConfig config) {
        Map<String, PiiGuard.Policy> policies = new HashMap<>();
        config.models().forEach((name, m) -> {
            if (m.guards() != null && m.guards().pii() != null) {
                policies.put(name, m.guards().pii().policy());
            }
        });
        return policies;
    }

    private static List<Budget> budgets(AirlockConfig config) {
        List<Budget> budgets = new ArrayList<>();
        for (AirlockConfig.BudgetConfig b : config.budgets()) {
            budgets.add(b.budget());
        }
        return budgets;
    }

    private static RateLimits rateLimits(AirlockConfig config, TokenBuckets buckets, Clock clock) {
        Map<String, RateLimits.Limit> perKey = new HashMap<>();
        config.rateLimits().keys().forEach((key, l) -> perKey.put(key, l.limit()));
        return new RateLimits(perKey, config.rateLimits().byDefault().limit(), buckets, clock);
    }

    private static String configName(AirlockConfig config) {
        return config.source() == null ? "(built in code)" : config.source().toString();
    }

    /** SHA-256 of the configuration as written (before ${VAR} substitution, so no secret is hashed in). */
    private static String configDigest(AirlockConfig config) {
        return config.sourceSha256() != null ? config.sourceSha256() : "built in code";
    }

    private static List<KeyDesk.Declared> declaredKeys(AirlockConfig config) {
        return config.keys().stream()
                .map(k -> new KeyDesk.Declared(k.id(), k.tenant(), k.role(), k.name(), k.secret()))
                .toList();
    }
}
