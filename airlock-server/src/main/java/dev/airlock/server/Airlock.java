package dev.airlock.server;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.Checkpointer;
import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.auth.ApiKeys;
import dev.airlock.auth.KeyAuthenticator;
import dev.airlock.cache.AnswerCache;
import dev.airlock.cost.Budget;
import dev.airlock.cost.Budgets;
import dev.airlock.cost.CostGate;
import dev.airlock.cost.RateLimits;
import dev.airlock.decision.Role;
import dev.airlock.deploy.CanaryWatch;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentResolver;
import dev.airlock.deploy.Deployments;
import dev.airlock.guard.OutputSchemaGuard;
import dev.airlock.guard.PiiDetector;
import dev.airlock.guard.PiiGuard;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.pipeline.Recorder;
import dev.airlock.policy.PolicyGuard;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.review.ReviewDesk;
import dev.airlock.review.ReviewQueue;
import dev.airlock.routing.Breakers;
import dev.airlock.routing.Bulkheads;
import dev.airlock.server.audit.AuditJobs;
import dev.airlock.server.audit.SigningKeyFile;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.Durations;
import dev.airlock.server.http.HttpApi;
import dev.airlock.store.Store;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running Airlock node: the store, the providers, the pipeline and the HTTP API, wired from one configuration.
 *
 * <pre>{@code
 * try (Airlock airlock = Airlock.start(ConfigLoader.fromSystemEnvironment().load(Path.of("airlock.yaml")))) {
 *     System.out.println(airlock.baseUrl());
 * }
 * }</pre>
 */
public final class Airlock implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Airlock.class);
    private final Store store;
    private final Providers providers;
    private final ModelCatalog catalog;
    private final Pipeline pipeline;
    private final Javalin http;
    private final String host;
    private final String bootstrappedAdminKey;
    private final JvmGcMetrics gcMetrics;
    private final AuditJobs auditJobs;
    private final Budgets budgets;
    private final Deployments deployments;
    private final ReviewDesk reviewDesk;

    private Airlock(AirlockConfig config, Clock clock) {
        this.store = Store.open(
                config.store().url(), config.store().user(), config.store().password());
        try {
            // Sealed from the first record this node writes: checkpoints are signed over sealed records only.
            SigningKeyFile keyFile = SigningKeyFile.of(config);
            AuditSigner signer = keyFile.loadOrCreate(store, clock.instant());
            store.sealWith(signer);
            AuditTrail trail = new AuditTrail(store, clock);
            trail.record(
                    AdminAction.CONFIG_LOADED,
                    null,
                    "airlock",
                    configName(config),
                    Map.of("sha256", configDigest(config)));
            store.latestConfigRevision()
                    .filter(applied -> !applied.sha256().equals(configDigest(config)))
                    .ifPresent(applied -> LOG.warn(
                            "this node's configuration {} is not the one applied last (revision {}, by {} at {});"
                                    + " airlock plan -f {} shows the difference",
                            configName(config),
                            applied.id(),
                            applied.actor(),
                            applied.at(),
                            configName(config)));
            KeyBootstrap keys = new KeyBootstrap(store, trail, clock);
            keys.apply(config.keys());
            this.bootstrappedAdminKey =
                    keys.ensureAdmin(config.bootstrap().adminTenant()).orElse(null);
            var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.auditJobs = new AuditJobs(
                    store,
                    new Checkpointer(store, signer, clock, keyFile.keys(), keyFile::keys),
                    clock,
                    config.audit().checkpointEvery(),
                    Durations.parse(config.audit().checkpointInterval()),
                    Durations.parse(config.audit().purgeInterval()),
                    dev.airlock.server.audit.PublishedCheckpoints.of(config),
                    prometheus);
            this.providers = Providers.build(config);
            this.catalog = providers.catalog(config);
            new JvmMemoryMetrics().bindTo(prometheus);
            new JvmThreadMetrics().bindTo(prometheus);
            new ProcessorMetrics().bindTo(prometheus);
            this.gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(prometheus);
            lifecycleGauges(catalog, prometheus, clock);
            // one node on SQLite keeps budgets and rate limits in memory (exact, no round trip); nodes sharing
            // PostgreSQL keep them in it, so that a hard budget and a rate limit hold for all of them together
            boolean shared = store.budgetLedger().shared();
            this.budgets = new Budgets(
                    budgets(config),
                    shared ? store.budgetLedger() : dev.airlock.cost.BudgetLedger.inMemory(store),
                    clock,
                    Durations.parse(config.cost().reservationTtl()),
                    prometheus);
            var gate = new CostGate(
                    catalog,
                    rateLimits(config, shared ? store.tokenBuckets() : dev.airlock.cost.TokenBuckets.inMemory(), clock),
                    budgets,
                    config.cost().defaultOutputTokens());
            ModelCatalog served = catalog;
            var prompts = Providers.prompts(config);
            var policyGuard = new PolicyGuard(Providers.policies(config));
            var outputSchemas = new OutputSchemaGuard(outputRepairs(config)::get);
            this.reviewDesk = new ReviewDesk(
                            store,
                            new AuditTrail(store, clock),
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
                            Durations.parse(config.review().waitFor()))
                    .checkDueTimesEvery(Durations.parse(config.review().checkInterval()));
            var reviewQueue = new ReviewQueue(
                    store,
                    clock,
                    Durations.parse(config.review().sla()),
                    dev.airlock.server.http.HttpApi::answerBody,
                    reviewDesk::held);
            Map<String, List<String>> versions = new java.util.LinkedHashMap<>();
            catalog.all()
                    .forEach(m -> versions.put(
                            m.spec().name(),
                            List.copyOf(catalog.versions(m.spec().name()).keySet())));
            this.deployments = Registry.deployments(config, store, clock, versions);
            checkDeployed(deployments, catalog);
            var canaries = new CanaryWatch(
                    deployments,
                    canaryLimits(config),
                    config.deployments().canaryWindow(),
                    config.deployments().canaryMinCalls());
            var recorder = new Recorder(store, prometheus);
            Map<String, PiiGuard.Policy> piiPolicies = piiPolicies(config);
            this.pipeline = Pipeline.builder()
                    .admit(gate)
                    .guardInput(GuardInput.all(
                            new PiiGuard(piiPolicies::get),
                            injectionGuard(config),
                            outputSchemas,
                            streamsThatWouldBeHeld(config),
                            policyGuard))
                    .guardOutput(GuardOutput.all(outputSchemas, groundingGuard(config), policyGuard))
                    .review(reviewQueue)
                    .cache(new AnswerCache(() -> served, prometheus))
                    .clock(clock)
                    .breakers(new Breakers(Providers.breakerPolicies(config), prometheus))
                    .bulkheads(new Bulkheads(Providers.bulkheadLimits(config), prometheus))
                    .authenticate(new KeyAuthenticator(store, clock))
                    .resolve(new DeploymentResolver(catalog, deployments))
                    .record(decision -> {
                        boolean stored = recorder.record(decision);
                        canaries.observe(decision);
                        return stored;
                    })
                    .shadows(store, config.deployments().shadowMaxInFlight())
                    .prompts(prompts)
                    .build();
            this.host = config.server().host();
            this.http = HttpApi.create(
                    pipeline,
                    catalog,
                    store,
                    budgets,
                    prometheus,
                    this::storeAnswers,
                    config.server().maxBodyBytes(),
                    config.server().metricsToken(),
                    deployments,
                    (model, version) -> ReadinessGate.scorecard(config, store, model, version),
                    clock,
                    prompts,
                    reviewDesk,
                    config.bootstrap().adminTenant(),
                    keyFile::trustedKeys);
            http.start(host, config.server().port());
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Starts a node; returns once it listens. */
    public static Airlock start(AirlockConfig config) {
        return new Airlock(config, Clock.systemUTC());
    }

    public static Airlock start(AirlockConfig config, Clock clock) {
        return new Airlock(config, clock);
    }

    public int port() {
        return http.port();
    }

    /** Where clients send requests, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + shown + ":" + port();
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
    public Deployments deployments() {
        return deployments;
    }

    /** The pipeline, for JVM applications that embed Airlock and call it without an HTTP hop. */
    public Pipeline pipeline() {
        return pipeline;
    }

    private boolean storeAnswers() {
        try {
            store.findKey("readiness-probe");
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
        if (http != null) {
            http.stop();
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
        if (budgets != null) {
            budgets.close();
        }
        store.close();
    }

    /** {@code airlock.target.days_to_retirement}: for each target with a retirement date, days left (negative after). */
    private static void lifecycleGauges(ModelCatalog catalog, PrometheusMeterRegistry meters, Clock clock) {
        for (var model : catalog.all()) {
            for (var target : model.targets()) {
                if (target.retiresOn() != null) {
                    io.micrometer.core.instrument.Gauge.builder(
                                    "airlock.target.days_to_retirement",
                                    target,
                                    t -> java.time.temporal.ChronoUnit.DAYS.between(
                                            java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC),
                                            t.retiresOn()))
                            .description("Days until a model's target retires; after that calls skip it")
                            .tag("model", model.spec().name())
                            .tag("provider", target.provider())
                            .tag("upstream_model", target.upstreamModel())
                            .register(meters);
                }
            }
        }
    }

    /** Every version a stored deployment names must still be declared: a node must not serve a version it lost. */
    private static void checkDeployed(Deployments deployments, ModelCatalog catalog) {
        for (Deployment d : deployments.all()) {
            var declared = catalog.versions(d.model()).keySet();
            List<String> named = new ArrayList<>();
            named.add(d.production());
            if (d.canary() != null) {
                named.add(d.canary().version());
            }
            if (d.shadow() != null) {
                named.add(d.shadow());
            }
            named.addAll(d.aliases().values());
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
        Map<String, dev.airlock.guard.InjectionGuard.Policy> policies = new java.util.HashMap<>();
        boolean classifier = false;
        for (var e : config.models().entrySet()) {
            var g = e.getValue().guards();
            if (g != null && g.injection() != null) {
                var inj = g.injection();
                policies.put(
                        e.getKey(),
                        new dev.airlock.guard.InjectionGuard.Policy(
                                dev.airlock.guard.InjectionGuard.Action.valueOf(
                                        inj.action().toUpperCase(java.util.Locale.ROOT)),
                                inj.threshold() == null ? 0.5 : inj.threshold()));
                classifier |= inj.classifier() == null || inj.classifier();
            }
        }
        if (policies.isEmpty()) {
            return GuardInput.NONE;
        }
        java.util.function.Function<List<String>, List<dev.airlock.guard.WindowScore>> scorer = null;
        if (classifier) {
            var embeddings = new dev.airlock.models.MiniLmEmbeddings("injection-guard");
            var model = dev.airlock.models.InjectionClassifier.bundled();
            // windows, not the embeddings endpoint: a guard scores a text of any length and never refuses it
            scorer = texts -> model.scoreWindows(embeddings, texts);
        }
        return new dev.airlock.guard.InjectionGuard(policies::get, scorer);
    }

    /**
     * Refuses streamed calls to models whose grounding check may hold or refuse the complete answer: a stream is on
     * its way before it is complete.
     */
    private static GuardInput streamsThatWouldBeHeld(AirlockConfig config) {
        java.util.Set<String> models = new java.util.HashSet<>();
        config.models().forEach((name, m) -> {
            if (m.guards() != null
                    && m.guards().grounding() != null
                    && !"flag".equals(m.guards().grounding().action())) {
                models.add(name);
            }
        });
        return (draft, request) -> {
            if (draft.spec() != null
                    && models.contains(draft.spec().name())
                    && request instanceof dev.airlock.provider.ChatRequest chat
                    && chat.stream()) {
                throw new dev.airlock.decision.Stop(
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
        Map<String, dev.airlock.guard.GroundingGuard.Policy> policies = new java.util.HashMap<>();
        config.models().forEach((name, m) -> {
            if (m.guards() != null && m.guards().grounding() != null) {
                var g = m.guards().grounding();
                policies.put(
                        name,
                        new dev.airlock.guard.GroundingGuard.Policy(
                                dev.airlock.guard.GroundingGuard.Action.valueOf(
                                        g.action().toUpperCase(java.util.Locale.ROOT)),
                                g.threshold() == null ? 0.5 : g.threshold()));
            }
        });
        if (policies.isEmpty()) {
            return GuardOutput.NONE;
        }
        var embeddings = new dev.airlock.models.MiniLmEmbeddings("grounding-guard");
        // sentences of any length are compared (a long one by the mean of its windows), never refused
        return new dev.airlock.guard.GroundingGuard(policies::get, embeddings::embedWhole);
    }

    /** Per model that validates its structured answers, how many repairs to try. */
    private static Map<String, Integer> outputRepairs(AirlockConfig config) {
        Map<String, Integer> repairs = new java.util.HashMap<>();
        config.models().forEach((name, m) -> {
            if (m.output() != null && Boolean.TRUE.equals(m.output().validate())) {
                repairs.put(
                        name, m.output().maxRepairs() == null ? 2 : m.output().maxRepairs());
            }
        });
        return repairs;
    }

    /** Each model's canary limits: its error-rate and latency thresholds. */
    private static java.util.function.Function<String, CanaryWatch.Limits> canaryLimits(AirlockConfig config) {
        Map<String, CanaryWatch.Limits> limits = new java.util.HashMap<>();
        config.models().forEach((name, m) -> {
            var t = m.operations() == null ? null : m.operations().thresholds();
            if (t != null && (t.errorRate() != null || t.latencyP99Ms() != null)) {
                limits.put(name, new CanaryWatch.Limits(t.errorRate(), t.latencyP99Ms()));
            }
        });
        return limits::get;
    }

    private static Map<String, PiiGuard.Policy> piiPolicies(AirlockConfig config) {
        Map<String, PiiGuard.Policy> policies = new java.util.HashMap<>();
        config.models().forEach((name, m) -> {
            if (m.guards() != null && m.guards().pii() != null) {
                var pii = m.guards().pii();
                var types = pii.types() == null || pii.types().isEmpty()
                        ? PiiGuard.allTypes()
                        : pii.types().stream()
                                .map(t -> PiiDetector.Type.valueOf(t.toUpperCase(java.util.Locale.ROOT)))
                                .collect(java.util.stream.Collectors.toSet());
                policies.put(
                        name,
                        new PiiGuard.Policy(
                                PiiGuard.Action.valueOf(pii.action().toUpperCase(java.util.Locale.ROOT)), types));
            }
        });
        return policies;
    }

    private static List<Budget> budgets(AirlockConfig config) {
        List<Budget> budgets = new ArrayList<>();
        for (AirlockConfig.BudgetConfig b : config.budgets()) {
            Budget.Scope scope =
                    b.tenant() != null ? Budget.Scope.TENANT : b.key() != null ? Budget.Scope.KEY : Budget.Scope.MODEL;
            String subject = b.tenant() != null ? b.tenant() : b.key() != null ? b.key() : b.model();
            budgets.add(new Budget(
                    b.name(),
                    scope,
                    subject,
                    Budget.Period.valueOf(b.period().toUpperCase(java.util.Locale.ROOT)),
                    b.soft(),
                    b.hard()));
        }
        return budgets;
    }

    private static RateLimits rateLimits(AirlockConfig config, dev.airlock.cost.TokenBuckets buckets, Clock clock) {
        Map<String, RateLimits.Limit> perKey = new java.util.HashMap<>();
        config.rateLimits().keys().forEach((key, l) -> perKey.put(key, limit(l)));
        var byDefault = config.rateLimits().byDefault();
        return new RateLimits(perKey, byDefault == null ? RateLimits.Limit.NONE : limit(byDefault), buckets, clock);
    }

    private static RateLimits.Limit limit(AirlockConfig.LimitConfig l) {
        return new RateLimits.Limit(
                l.requestsPerMinute() == null ? 0 : l.requestsPerMinute(),
                l.tokensPerMinute() == null ? 0 : l.tokensPerMinute());
    }

    private static String configName(AirlockConfig config) {
        return config.source() == null ? "(built in code)" : config.source().toString();
    }

    /** SHA-256 of the configuration as written (before ${VAR} substitution, so no secret is hashed in). */
    private static String configDigest(AirlockConfig config) {
        return config.sourceSha256() != null ? config.sourceSha256() : "built in code";
    }

    /** Applies the keys the configuration declares and makes an admin key when there is none; both audited. */
    static final class KeyBootstrap {
        private final Store store;
        private final AuditTrail trail;
        private final Clock clock;

        KeyBootstrap(Store store, AuditTrail trail, Clock clock) {
            this.store = store;
            this.trail = trail;
            this.clock = clock;
        }

        void apply(java.util.List<AirlockConfig.KeyConfig> keys) {
            for (AirlockConfig.KeyConfig key : keys) {
                var issued = ApiKeys.fromSecret(
                        key.id(), key.tenant(), Role.parse(key.role()), key.name(), key.secret(), clock.instant());
                Optional<ApiKeyRecord> existing = store.findKey(key.id());
                if (existing.isEmpty()) {
                    store.insertKey(issued.record());
                    trail.record(
                            AdminAction.KEY_CREATED,
                            key.tenant(),
                            "config",
                            key.id(),
                            Map.of(
                                    "role",
                                    issued.record().role().id(),
                                    "name",
                                    issued.record().name()));
                } else if (!existing.get().secretSha256().equals(issued.record().secretSha256())
                        || existing.get().role() != issued.record().role()
                        || !existing.get().tenant().equals(issued.record().tenant())) {
                    throw new ConfigException("keys: key '" + key.id() + "' already exists in the store with another "
                            + "secret, tenant or role; give the new key another id and revoke the old one");
                }
            }
        }

        Optional<String> ensureAdmin(String tenant) {
            boolean hasAdmin =
                    store.listKeys().stream().anyMatch(k -> k.role() == Role.ADMIN && k.activeAt(clock.instant()));
            if (hasAdmin) {
                return Optional.empty();
            }
            var issued = ApiKeys.issue(tenant, Role.ADMIN, "bootstrap admin", clock.instant(), null);
            store.insertKey(issued.record());
            trail.record(
                    AdminAction.KEY_CREATED,
                    tenant,
                    "airlock",
                    issued.record().id(),
                    Map.of("role", Role.ADMIN.id(), "name", "bootstrap admin"));
            return Optional.of(issued.key());
        }
    }
}
