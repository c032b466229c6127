package dev.airlock.server.config;

import static dev.airlock.server.config.Options.or;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.airlock.cost.Budget;
import dev.airlock.cost.RateLimits;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.guard.GroundingGuard;
import dev.airlock.guard.InjectionGuard;
import dev.airlock.guard.PiiGuard;
import dev.airlock.pii.PiiDetector;
import dev.airlock.policy.Policies;
import dev.airlock.policy.Policy;
import dev.airlock.policy.Rule;
import dev.airlock.registry.PromptTemplate;
import dev.airlock.registry.Retention;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration of a node, as written in {@code airlock.yaml}: typed options, each with its {@link Default}
 * beside it. Keys are snake_case in YAML. Values are checked while they are bound (a rule broken names the option and
 * the value); what needs the whole file (references, files, compiled policies) is checked by the loader, which also
 * hands the prompts and policies it built to the node ({@link #built()}).
 *
 * <pre>{@code
 * AirlockConfig config = AirlockConfig.builder()
 *         .provider("up", ProviderConfig.openAi("http://127.0.0.1:11434/v1"))
 *         .model("assistant", ModelConfig.of(Map.of("kind", "chat", "provider", "up")))
 *         .build();
 * }</pre>
 *
 * @param source the file it was read from, or the directory of files; relative paths resolve against the file's
 *     folder, or the directory
 * @param sourceSha256 SHA-256 of the file's text as written (before ${VAR} substitution), recorded in the audit log
 * @param built the prompts and policies built when the configuration was checked; null until it is
 */
public record AirlockConfig(
        Path source,
        Server server,
        Store store,
        Bootstrap bootstrap,
        Map<String, ProviderConfig> providers,
        Map<String, ModelConfig> models,
        Map<String, PromptConfig> prompts,
        Map<String, PolicyConfig> policies,
        List<KeyConfig> keys,
        Audit audit,
        List<BudgetConfig> budgets,
        @JsonProperty("rate_limits") RateLimitsConfig rateLimits,
        CostConfig cost,
        DeploymentsConfig deployments,
        ReviewConfig review,
        @JsonIgnore String sourceSha256,
        @JsonIgnore Built built) {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    public AirlockConfig {
        server = or(server, Server.DEFAULTS);
        store = or(store, Store.DEFAULTS);
        bootstrap = or(bootstrap, Bootstrap.DEFAULTS);
        providers = providers == null ? Map.of() : new LinkedHashMap<>(providers);
        models = models == null ? Map.of() : new LinkedHashMap<>(models);
        prompts = prompts == null ? Map.of() : new LinkedHashMap<>(prompts);
        policies = policies == null ? Map.of() : new LinkedHashMap<>(policies);
        keys = keys == null ? List.of() : List.copyOf(keys);
        audit = or(audit, Audit.DEFAULTS);
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
        rateLimits = or(rateLimits, RateLimitsConfig.NONE);
        cost = or(cost, CostConfig.DEFAULTS);
        deployments = or(deployments, DeploymentsConfig.DEFAULTS);
        review = or(review, ReviewConfig.DEFAULTS);
        for (String name : prompts.keySet()) {
            if (!name.matches(NAME)) {
                throw new OptionException("a prompt name is letters, digits, '.', '_' or '-'", "prompts", name);
            }
        }
    }

    /**
     * What checking a configuration builds once and the node uses as built: the prompt catalog and the compiled
     * policies.
     */
    public record Built(PromptTemplate.Catalog prompts, Policies policies) {}

    /** A configuration built in code, starting from the defaults. */
    public static Builder builder() {
        return new Builder(new AirlockConfig(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * This configuration checked as a whole (references, files, policies), with what checking built; itself when it
     * has been already. A configuration built in code is checked here, before a node starts on it.
     *
     * @throws ConfigException naming the option and what was wrong with it
     */
    public AirlockConfig checked() {
        return built != null ? this : new ConfigValidator(Locator.inCode()).validate(this);
    }

    /** This configuration as read from {@code file}, whose text as written has SHA-256 {@code sha256}. */
    public AirlockConfig withSource(Path file, String sha256) {
        return toBuilder().source(file).sourceSha256(sha256).build();
    }

    /** This configuration with {@code value} as its server settings (what checking built still holds). */
    public AirlockConfig withServer(Server value) {
        return new AirlockConfig(
                source,
                value,
                store,
                bootstrap,
                providers,
                models,
                prompts,
                policies,
                keys,
                audit,
                budgets,
                rateLimits,
                cost,
                deployments,
                review,
                sourceSha256,
                built);
    }

    AirlockConfig withBuilt(Built value) {
        return new AirlockConfig(
                source,
                server,
                store,
                bootstrap,
                providers,
                models,
                prompts,
                policies,
                keys,
                audit,
                budgets,
                rateLimits,
                cost,
                deployments,
                review,
                sourceSha256,
                value);
    }

    /** Resolves a path written in the config against the config file's folder. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || source == null) {
            return p;
        }
        Path dir = Files.isDirectory(source)
                ? source.toAbsolutePath()
                : source.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }

    /** Builds a configuration in code; what it changes must be checked again ({@link #checked()}). */
    public static final class Builder {
        private Path source;
        private Server server;
        private Store store;
        private Bootstrap bootstrap;
        private final Map<String, ProviderConfig> providers;
        private final Map<String, ModelConfig> models;
        private Map<String, PromptConfig> prompts;
        private Map<String, PolicyConfig> policies;
        private List<KeyConfig> keys;
        private Audit audit;
        private List<BudgetConfig> budgets;
        private RateLimitsConfig rateLimits;
        private CostConfig cost;
        private DeploymentsConfig deployments;
        private ReviewConfig review;
        private String sourceSha256;

        private Builder(AirlockConfig c) {
            source = c.source;
            server = c.server;
            store = c.store;
            bootstrap = c.bootstrap;
            providers = new LinkedHashMap<>(c.providers);
            models = new LinkedHashMap<>(c.models);
            prompts = c.prompts;
            policies = c.policies;
            keys = c.keys;
            audit = c.audit;
            budgets = c.budgets;
            rateLimits = c.rateLimits;
            cost = c.cost;
            deployments = c.deployments;
            review = c.review;
            sourceSha256 = c.sourceSha256;
        }

        public Builder source(Path value) {
            source = value;
            return this;
        }

        public Builder sourceSha256(String value) {
            sourceSha256 = value;
            return this;
        }

        public Builder server(Server value) {
            server = value;
            return this;
        }

        public Builder store(Store value) {
            store = value;
            return this;
        }

        public Builder bootstrap(Bootstrap value) {
            bootstrap = value;
            return this;
        }

        public Builder provider(String name, ProviderConfig value) {
            providers.put(name, value);
            return this;
        }

        public Builder providers(Map<String, ProviderConfig> value) {
            providers.clear();
            providers.putAll(value);
            return this;
        }

        public Builder model(String name, ModelConfig value) {
            models.put(name, value);
            return this;
        }

        public Builder models(Map<String, ModelConfig> value) {
            models.clear();
            models.putAll(value);
            return this;
        }

        public Builder prompts(Map<String, PromptConfig> value) {
            prompts = value;
            return this;
        }

        public Builder policies(Map<String, PolicyConfig> value) {
            policies = value;
            return this;
        }

        public Builder keys(List<KeyConfig> value) {
            keys = value;
            return this;
        }

        public Builder audit(Audit value) {
            audit = value;
            return this;
        }

        public Builder budgets(List<BudgetConfig> value) {
            budgets = value;
            return this;
        }

        public Builder rateLimits(RateLimitsConfig value) {
            rateLimits = value;
            return this;
        }

        public Builder cost(CostConfig value) {
            cost = value;
            return this;
        }

        public Builder deployments(DeploymentsConfig value) {
            deployments = value;
            return this;
        }

        public Builder review(ReviewConfig value) {
            review = value;
            return this;
        }

        /** The configuration, not yet checked as a whole. */
        public AirlockConfig build() {
            return new AirlockConfig(
                    source,
                    server,
                    store,
                    bootstrap,
                    providers,
                    models,
                    prompts,
                    policies,
                    keys,
                    audit,
                    budgets,
                    rateLimits,
                    cost,
                    deployments,
                    review,
                    sourceSha256,
                    null);
        }
    }

    /**
     * Where the node listens.
     *
     * @param host the interface
     * @param port the port; 0 for any free port
     * @param maxBodyBytes the largest request body accepted (at least 1024)
     * @param metricsToken when set, {@code /metrics} answers only requests presenting it as a bearer token
     */
    public record Server(
            @Default("127.0.0.1") String host,
            @Default("8080") int port,

            @JsonProperty("max_body_bytes") @Default("1048576")
            long maxBodyBytes,

            @JsonProperty("metrics_token") String metricsToken) {
        public static final Server DEFAULTS = Options.defaults(Server.class);

        public Server {
            if (port < 0 || port > 65_535) {
                throw new OptionException(port + " is not a port (0-65535)", "port");
            }
            if (maxBodyBytes < 1_024) {
                throw new OptionException(maxBodyBytes + " is too small; expected at least 1024", "max_body_bytes");
            }
        }
    }

    /**
     * Where Decisions and keys are kept.
     *
     * @param url {@code jdbc:sqlite:<file>} (embedded) or {@code jdbc:postgresql://...}
     */
    public record Store(
            @Default("jdbc:sqlite:.airlock/airlock.db") String url, String user, String password) {
        public static final Store DEFAULTS = Options.defaults(Store.class);
    }

    /** @param adminTenant the tenant of the admin key made on first start when there is none */
    public record Bootstrap(
            @JsonProperty("admin_tenant") @Default("default")
            String adminTenant) {
        public static final Bootstrap DEFAULTS = Options.defaults(Bootstrap.class);
    }

    /** Where data sent to a provider goes. */
    public enum Trust {
        ON_PREMISES("on-premises"),
        IN_REGION("in-region"),
        EXTERNAL("external");

        private final String id;

        Trust(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * A provider: an upstream API or an in-process model, by {@code kind}. Each kind takes its own options; what every
     * kind takes (trust, breaker, admission limits) is here.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = OpenAiProvider.class, name = "openai"),
        @JsonSubTypes.Type(value = MiniLmProvider.class, name = "minilm-embeddings"),
        @JsonSubTypes.Type(value = OnnxTabularProvider.class, name = "onnx-tabular")
    })
    public sealed interface ProviderConfig permits OpenAiProvider, MiniLmProvider, OnnxTabularProvider {
        /** The kind's name as written: {@code openai}, {@code minilm-embeddings} or {@code onnx-tabular}. */
        String kind();

        /** The request kinds it serves. */
        Set<RequestKind> serves();

        Trust trust();

        String region();

        BreakerConfig breaker();

        int maxInFlight();

        int queue();

        Duration queueTimeout();

        /** Per upstream model name: US dollars per million tokens; in-process models have none (they are free). */
        default Map<String, PriceConfig> prices() {
            return Map.of();
        }

        /** Per upstream model name: deprecation and retirement dates. */
        default Map<String, LifecycleConfig> lifecycle() {
            return Map.of();
        }

        /** An OpenAI-compatible upstream at {@code baseUrl}, every other option at its default. */
        static OpenAiProvider openAi(String baseUrl) {
            return Options.bind(OpenAiProvider.class, Map.of("kind", "openai", "base_url", baseUrl));
        }

        private static void checkAdmission(int maxInFlight, int queue) {
            if (maxInFlight < 1) {
                throw new OptionException(maxInFlight + " must be at least 1", "max_in_flight");
            }
            if (queue < 0) {
                throw new OptionException(queue + " must not be negative", "queue");
            }
        }
    }

    /**
     * {@code kind: openai}: any OpenAI-compatible HTTP API.
     *
     * @param baseUrl the API root, e.g. {@code https://api.openai.com/v1}
     * @param apiKey sent as a bearer token when set
     * @param headers extra headers, e.g. Azure's {@code api-key}
     * @param query extra query parameters, e.g. Azure's {@code api-version}
     * @param timeout longest wait for an answer (a stream: for its start, and longest silence within it)
     * @param connectTimeout longest wait to connect
     * @param prices per upstream model name: US dollars per million tokens
     * @param lifecycle per upstream model name: deprecation and retirement dates
     * @param trust where data sent to it goes
     * @param region where it runs, e.g. eu-west; informational
     * @param breaker when its circuit breakers open
     * @param maxInFlight most calls in flight to it at once
     * @param queue most calls waiting for a slot beyond that; more are refused with 429 at once
     * @param queueTimeout longest wait for a slot
     */
    public record OpenAiProvider(
            @JsonProperty("base_url") String baseUrl,
            @JsonProperty("api_key") String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            @Default("60s") Duration timeout,
            @JsonProperty("connect_timeout") @Default("5s") Duration connectTimeout,
            Map<String, PriceConfig> prices,
            Map<String, LifecycleConfig> lifecycle,
            @Default("external") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public OpenAiProvider {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new OptionException("missing; expected e.g. https://api.openai.com/v1", "base_url");
            }
            if (!isHttpUrl(baseUrl)) {
                throw new OptionException(
                        "'" + baseUrl + "' is not an http(s) URL; expected e.g. https://api.openai.com/v1", "base_url");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            query = query == null ? Map.of() : Map.copyOf(query);
            prices = prices == null ? Map.of() : Map.copyOf(prices);
            lifecycle = lifecycle == null ? Map.of() : Map.copyOf(lifecycle);
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            prices.forEach((model, price) -> {
                if (price == null || price.input() == null || price.output() == null) {
                    throw new OptionException(
                            "expected {input: <USD per million>, output: <USD per million>}", "prices", model);
                }
                if (price.input().signum() < 0
                        || price.output().signum() < 0
                        || (price.cachedInput() != null && price.cachedInput().signum() < 0)) {
                    throw new OptionException("prices must not be negative", "prices", model);
                }
            });
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "openai";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.CHAT, RequestKind.EMBEDDING);
        }

        /** The same upstream options against another API root, without credentials, headers or query. */
        public OpenAiProvider withBaseUrl(String url) {
            return new OpenAiProvider(
                    url,
                    null,
                    Map.of(),
                    Map.of(),
                    timeout,
                    connectTimeout,
                    prices,
                    lifecycle,
                    trust,
                    region,
                    breaker,
                    maxInFlight,
                    queue,
                    queueTimeout);
        }

        private static boolean isHttpUrl(String text) {
            try {
                URI uri = URI.create(text);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** {@code kind: minilm-embeddings}: the in-process embedding model. */
    public record MiniLmProvider(
            @Default("on-premises") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public MiniLmProvider {
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "minilm-embeddings";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.EMBEDDING);
        }
    }

    /**
     * {@code kind: onnx-tabular}: an in-process ONNX model.
     *
     * @param path the {@code .onnx} file, with its {@code .schema.json} beside it
     */
    public record OnnxTabularProvider(
            String path,
            @Default("on-premises") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public OnnxTabularProvider {
            if (path == null || path.isBlank()) {
                throw new OptionException("missing; expected the .onnx file of the model", "path");
            }
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "onnx-tabular";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.PREDICT);
        }
    }

    /** US dollars per million tokens; {@code cached_input} for prompt tokens served from the provider's cache. */
    public record PriceConfig(
            BigDecimal input,
            BigDecimal output,
            @JsonProperty("cached_input") BigDecimal cachedInput) {}

    /**
     * @param failureRate percent of failed calls in the window that opens the breaker
     * @param window how many recent calls count
     * @param minCalls fewest calls in the window before it may open
     * @param openFor how long it stays open before probing
     */
    public record BreakerConfig(
            @JsonProperty("failure_rate") @Default("50") int failureRate,
            @Default("20") int window,
            @JsonProperty("min_calls") @Default("10") int minCalls,
            @JsonProperty("open_for") @Default("30s") Duration openFor) {
        public static final BreakerConfig DEFAULTS = Options.defaults(BreakerConfig.class);

        public BreakerConfig {
            if (failureRate < 1 || failureRate > 100) {
                throw new OptionException(failureRate + " is not a percentage within 1..100", "failure_rate");
            }
            if (window < 1 || minCalls < 1) {
                throw new OptionException("window and min_calls must be at least 1");
            }
        }
    }

    /** Dates (YYYY-MM-DD) from which an upstream model is deprecated (warn) and retired (skipped). */
    public record LifecycleConfig(
            @JsonProperty("deprecated_on") LocalDate deprecatedOn,
            @JsonProperty("retires_on") LocalDate retiresOn) {}

    /** One target of a model's route; {@code upstream_model} is the model's own name when not given. */
    public record RouteConfig(
            String provider,
            @JsonProperty("upstream_model") String upstreamModel,
            @Default("0") int weight) {
        public RouteConfig {
            if (weight < 0) {
                throw new OptionException(weight + " must not be negative", "weight");
            }
        }
    }

    /**
     * @param attempts tries per target on retryable failures (1 to 10)
     * @param backoff the first wait between tries, doubling with full jitter
     * @param maxBackoff the longest wait, and the longest Retry-After honoured
     */
    public record RetryConfig(
            @Default("2") int attempts,
            @Default("200ms") Duration backoff,
            @JsonProperty("max_backoff") @Default("5s") Duration maxBackoff) {
        public static final RetryConfig DEFAULTS = Options.defaults(RetryConfig.class);

        public RetryConfig {
            if (attempts < 1 || attempts > 10) {
                throw new OptionException(attempts + " is not within 1..10", "attempts");
            }
        }
    }

    /**
     * A model callers can name.
     *
     * @param kind chat, embedding or predict
     * @param provider the provider's name under {@code providers}
     * @param upstreamModel the name the provider knows it by; the model's own name by default
     * @param version the version recorded in every Decision
     * @param example a request body that works, shown at start and in docs
     * @param retention what its Decisions keep of input and output; digests only when not declared
     * @param route targets in fallback order (instead of {@code provider}/{@code upstream_model}); with weights, the
     *     first attempt is split by weight
     * @param retry attempts per target and backoff
     * @param deadline the longest a call may take across every attempt and fallback, streams included
     * @param attemptTimeout the longest one attempt may take before the call moves on (when not given: an equal share
     *     of what is left of the deadline per target still to try)
     * @param cache opt-in answer caches (chat models, calls that do not stream)
     * @param operations owner contact, runbook, thresholds and the rest the readiness gate checks
     * @param guards input and output guards
     * @param expectedLoadRps the load the model is expected to carry, requests per second; {@code airlock loadtest}
     *     drives it at a multiple of this
     * @param versions the model's other versions, each with its own route (or the model's), and registry metadata; an
     *     entry for the declared {@code version} adds metadata to it
     * @param aliases where aliases point before any deployment change, e.g. {@code production: "2"} (default: the
     *     declared version) or {@code staging: "3"}; afterwards promote, rollback and alias commands move them
     * @param prompt the prompt its chat calls use unless they name one: {@code name@version} or {@code name@label}
     * @param policies the policies its calls are judged by: {@code name@version} or {@code name@label}
     * @param output validation of structured answers ({@code response_format})
     */
    public record ModelConfig(
            RequestKind kind,
            String provider,
            @JsonProperty("upstream_model") String upstreamModel,
            String version,
            String owner,
            String description,
            Map<String, Object> example,
            RetentionConfig retention,
            List<RouteConfig> route,
            RetryConfig retry,
            @Default("60s") Duration deadline,
            @JsonProperty("attempt_timeout") Duration attemptTimeout,
            CacheConfig cache,
            @JsonProperty("expected_load_rps") Double expectedLoadRps,
            OperationsConfig operations,
            GuardsConfig guards,
            Map<String, VersionConfig> versions,
            Map<String, String> aliases,
            String prompt,
            List<String> policies,
            OutputConfig output) {
        public ModelConfig {
            if (kind == null) {
                throw new OptionException("missing; expected chat, embedding or predict", "kind");
            }
            route = targetsOf(route);
            retry = or(retry, RetryConfig.DEFAULTS);
            guards = or(guards, GuardsConfig.NONE);
            output = or(output, OutputConfig.DEFAULTS);
            policies = policies == null ? List.of() : List.copyOf(policies);
            versions = versions == null ? Map.of() : new LinkedHashMap<>(versions);
            aliases = aliases == null ? Map.of() : new LinkedHashMap<>(aliases);
            if (!route.isEmpty() && provider != null) {
                throw new OptionException("give either provider (one target) or route (several), not both", "route");
            }
            checkPositive(deadline, "deadline");
            if (attemptTimeout != null) {
                checkPositive(attemptTimeout, "attempt_timeout");
            }
            if (expectedLoadRps != null && !(expectedLoadRps > 0)) {
                throw new OptionException("must be a positive number", "expected_load_rps");
            }
            if (kind != RequestKind.CHAT) {
                chatOnly(
                        guards.injection(), "only chat models are checked for prompt injection", "guards", "injection");
                chatOnly(guards.grounding(), "only chat answers are checked for grounding", "guards", "grounding");
                chatOnly(cache, "only chat models cache answers", "cache");
                chatOnly(
                        output.validate() ? output : null,
                        "only chat answers are validated against a schema",
                        "output");
            }
            checkVersions(version, versions, aliases);
        }

        /** A model given in code as its options, e.g. {@code Map.of("kind", "chat", "provider", "up")}. */
        public static ModelConfig of(Map<String, ?> options) {
            return Options.bind(ModelConfig.class, options);
        }

        /** The declared version's targets: {@code route}, or the one {@code provider}. */
        public List<RouteConfig> targets() {
            return !route.isEmpty() ? route : List.of(new RouteConfig(provider, upstreamModel, 0));
        }

        /** What its Decisions keep: digests only unless it declares a retention. */
        public Retention retentionPolicy() {
            return retention == null ? Retention.DIGESTS_ONLY : retention.policy();
        }

        /** The same model without answer caches. */
        public ModelConfig withoutCache() {
            return new ModelConfig(
                    kind,
                    provider,
                    upstreamModel,
                    version,
                    owner,
                    description,
                    example,
                    retention,
                    route,
                    retry,
                    deadline,
                    attemptTimeout,
                    null,
                    expectedLoadRps,
                    operations,
                    guards,
                    versions,
                    aliases,
                    prompt,
                    policies,
                    output);
        }

        private static List<RouteConfig> targetsOf(List<RouteConfig> route) {
            if (route == null) {
                return List.of();
            }
            for (int i = 0; i < route.size(); i++) {
                if (route.get(i) == null) {
                    throw new OptionException("empty; expected {provider, upstream_model, weight}", "route", i);
                }
            }
            return List.copyOf(route);
        }

        private static void checkPositive(Duration d, String key) {
            if (d.isZero()) {
                throw new OptionException(
                        "'" + Durations.format(d) + "' must be longer than zero; expected e.g. 10s", key);
            }
        }

        private static void chatOnly(Object option, String problem, Object... path) {
            if (option != null) {
                throw new OptionException(problem, path);
            }
        }

        private static void checkVersions(
                String version, Map<String, VersionConfig> versions, Map<String, String> aliases) {
            Set<String> known = new LinkedHashSet<>(versions.keySet());
            if (version != null) {
                known.add(version);
            }
            versions.forEach((name, v) -> {
                if (!name.matches(NAME)) {
                    throw new OptionException(
                            "a version is letters, digits, '.', '_' or '-' (at most 64), not '" + name + "'",
                            "versions",
                            name);
                }
                if (v != null && name.equals(version) && v.routed()) {
                    throw new OptionException(
                            "the declared version takes the model's provider or route; give its metadata only here",
                            "versions",
                            name);
                }
            });
            aliases.forEach((alias, target) -> {
                if (alias.equals("canary") || alias.equals("shadow")) {
                    throw new OptionException(
                            "canary and shadow start by command (airlock canary, airlock shadow), not by alias",
                            "aliases",
                            alias);
                }
                if (!alias.matches("[a-z][a-z0-9_-]{0,39}")) {
                    throw new OptionException("an alias is lower-case letters, digits, '-' or '_'", "aliases", alias);
                }
                if (target == null || !(known.contains(target) || (version == null && versions.isEmpty()))) {
                    throw new OptionException(
                            "version '" + target + "' is not declared; declared: " + known, "aliases", alias);
                }
            });
        }
    }

    /**
     * One version of a model: where its calls go and what the registry knows of it.
     *
     * @param provider its provider (or give {@code route}); neither means the model's own route
     * @param artifact where its artifact is (a path, relative to this file, or a URI)
     * @param sha256 the artifact's SHA-256; checked at start when the artifact is a local file
     * @param trainingData the training data's version: its content hash
     * @param metrics evaluation metrics by name
     * @param lineage the training run that produced it
     */
    public record VersionConfig(
            String provider,
            @JsonProperty("upstream_model") String upstreamModel,
            List<RouteConfig> route,
            String description,
            String artifact,
            String sha256,
            String framework,
            @JsonProperty("training_data") String trainingData,
            Map<String, Double> metrics,
            String lineage,
            List<String> tags,
            @JsonProperty("input_schema") String inputSchema,
            @JsonProperty("output_schema") String outputSchema,
            String prompt,
            List<String> policies) {
        public VersionConfig {
            route = ModelConfig.targetsOf(route);
            if (provider != null && !route.isEmpty()) {
                throw new OptionException("give either provider or route, not both", "route");
            }
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
                throw new OptionException("expected 64 lower-case hex digits, not '" + sha256 + "'", "sha256");
            }
        }

        /** Whether it declares its own targets rather than using the model's. */
        public boolean routed() {
            return provider != null || !route.isEmpty();
        }

        public List<RouteConfig> targets() {
            return !route.isEmpty() ? route : List.of(new RouteConfig(provider, upstreamModel, 0));
        }
    }

    /** A policy and its versions. */
    public record PolicyConfig(String description, Map<String, PolicyVersionConfig> versions) {
        public PolicyConfig {
            if (versions == null || versions.isEmpty()) {
                throw new OptionException("missing; a policy has at least one version", "versions");
            }
            versions = new LinkedHashMap<>(versions);
        }
    }

    /**
     * One version of a policy: rules in CEL and the example cases {@code airlock policy test} runs.
     *
     * @param labels other names for this version, e.g. {@code production}
     */
    public record PolicyVersionConfig(List<String> labels, List<RuleConfig> rules, List<ExampleConfig> examples) {
        public PolicyVersionConfig {
            labels = labels == null ? List.of() : List.copyOf(labels);
            if (rules == null || rules.isEmpty()) {
                throw new OptionException("missing; a policy version has at least one rule", "rules");
            }
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i) == null) {
                    throw new OptionException("needs name, when and effect", "rules", i);
                }
            }
            rules = List.copyOf(rules);
            examples = examples == null ? List.of() : List.copyOf(examples);
        }

        /** This version as a policy (not yet compiled). */
        public Policy policy(String name, String version) {
            var built = rules.stream()
                    .map(r -> new Rule(r.name(), r.stage(), r.when(), r.effect(), r.reason()))
                    .toList();
            var cases = examples.stream()
                    .map(e -> new Policy.Example(e.name(), e.stage(), e.context(), e.expect(), e.reasons()))
                    .toList();
            return new Policy(name, version, labels, built, cases);
        }
    }

    /**
     * A policy rule.
     *
     * @param when a CEL expression of type bool
     * @param effect {@code allow}, {@code redact} (input only), {@code review} or {@code deny}
     * @param reason the reason code recorded in the Decision (default: the rule's name in capitals)
     */
    public record RuleConfig(
            String name, @Default("input") Rule.Stage stage, String when, Rule.Effect effect, String reason) {
        public RuleConfig {
            if (name == null || when == null || effect == null) {
                throw new OptionException("needs name, when and effect");
            }
            if (effect == Rule.Effect.REDACT && stage == Rule.Stage.OUTPUT) {
                throw new OptionException(
                        "redact applies at input only (output redaction is not supported yet); use deny", "effect");
            }
        }
    }

    /**
     * An example case for a policy version.
     *
     * @param context the Decision context the rules see ({@code tenant}, {@code model}, {@code request}, {@code
     *     provider}, {@code guard}, {@code output})
     * @param expect the effect the policy must give: allow, redact or deny
     * @param reasons the reason codes expected, in rule order (optional)
     */
    public record ExampleConfig(
            String name,
            @Default("input") Rule.Stage stage,
            Map<String, Object> context,
            Rule.Effect expect,
            List<String> reasons) {
        public ExampleConfig {
            if (expect == null) {
                throw new OptionException("missing; expected one of " + ConfigModule.ids(Rule.Effect.class), "expect");
            }
        }
    }

    /**
     * A prompt and its versions.
     *
     * @param versions by version: the template, its typed variables and labels
     */
    public record PromptConfig(String description, Map<String, PromptVersionConfig> versions) {
        public PromptConfig {
            if (versions == null || versions.isEmpty()) {
                throw new OptionException("missing; a prompt has at least one version", "versions");
            }
            versions = new LinkedHashMap<>(versions);
        }
    }

    /**
     * One version of a prompt.
     *
     * @param template the text, with {@code {{name}}} placeholders for its variables
     * @param labels other names for this version, e.g. {@code production}; a label is on one version of a prompt
     */
    public record PromptVersionConfig(
            String template, Map<String, VariableConfig> variables, List<String> labels, String description) {
        public PromptVersionConfig {
            if (template == null || template.isBlank()) {
                throw new OptionException("missing", "template");
            }
            variables = variables == null ? Map.of() : new LinkedHashMap<>(variables);
            labels = labels == null ? List.of() : List.copyOf(labels);
        }

        /**
         * This version as a template.
         *
         * @throws IllegalArgumentException when the template and its variables do not match
         */
        public PromptTemplate template(String name, String version) {
            Map<String, PromptTemplate.Variable> typed = new LinkedHashMap<>();
            variables.forEach(
                    (key, c) -> typed.put(key, or(c, VariableConfig.DEFAULTS).variable()));
            return new PromptTemplate(name, version, template, typed, labels, description);
        }
    }

    /**
     * A prompt variable.
     *
     * @param required whether a call must give it (when not given: true unless it has a default)
     * @param defaultValue used when a call gives none
     * @param allowed the only values accepted
     * @param maxLength the longest value accepted, in characters; 0 for any
     */
    public record VariableConfig(
            @Default("string") PromptTemplate.Variable.Type type,
            Boolean required,
            @JsonProperty("default") Object defaultValue,
            @JsonProperty("enum") List<String> allowed,
            @JsonProperty("max_length") @Default("0") int maxLength) {
        static final VariableConfig DEFAULTS = Options.defaults(VariableConfig.class);

        PromptTemplate.Variable variable() {
            return new PromptTemplate.Variable(
                    type, or(required, defaultValue == null), defaultValue, allowed, maxLength);
        }
    }

    /**
     * Human review of held answers.
     *
     * @param sla how long a held answer may wait for a decision before it is escalated
     * @param checkInterval how often due times are checked
     * @param callbackHosts the hosts a caller's {@code Airlock-Review-Callback} may name (none by default: Airlock
     *     only calls hosts its operators list, never wherever a request points it)
     * @param waitFor how long a held call waits for a quick decision before it answers 202 (0s: at once)
     * @param callbackSecret when set, callbacks carry {@code Airlock-Signature: sha256=<HMAC-SHA256 of the body>}
     */
    public record ReviewConfig(
            @Default("4h") Duration sla,
            @JsonProperty("check_interval") @Default("30s") Duration checkInterval,
            @JsonProperty("callback_hosts") List<String> callbackHosts,
            @JsonProperty("wait") @Default("0s") Duration waitFor,
            @JsonProperty("callback_secret") String callbackSecret) {
        public static final ReviewConfig DEFAULTS = Options.defaults(ReviewConfig.class);

        public ReviewConfig {
            callbackHosts = callbackHosts == null ? List.of() : List.copyOf(callbackHosts);
        }
    }

    /**
     * How deployments behave.
     *
     * @param refresh how stale a node's view of deployments may be before it re-reads them: the bound on how long a
     *     promotion or rollback made elsewhere takes to reach this node
     * @param canaryWindow how many recent calls of a canary (and of production) are judged
     * @param canaryMinCalls fewest canary calls before it may be rolled back automatically
     * @param shadowMaxInFlight most shadow copies running at once; more are skipped
     */
    public record DeploymentsConfig(
            @Default("2s") Duration refresh,
            @JsonProperty("canary_window") @Default("200") int canaryWindow,
            @JsonProperty("canary_min_calls") @Default("20") int canaryMinCalls,

            @JsonProperty("shadow_max_in_flight") @Default("64")
            int shadowMaxInFlight) {
        public static final DeploymentsConfig DEFAULTS = Options.defaults(DeploymentsConfig.class);

        public DeploymentsConfig {
            if (canaryMinCalls < 1 || canaryWindow < canaryMinCalls) {
                throw new OptionException(
                        "need 1 <= canary_min_calls <= canary_window, not " + canaryMinCalls + " and " + canaryWindow);
            }
            if (shadowMaxInFlight < 1) {
                throw new OptionException(shadowMaxInFlight + " must be at least 1", "shadow_max_in_flight");
            }
        }
    }

    /**
     * Output validation: with {@code validate}, a chat answer asked for as {@code json_schema} or {@code json_object}
     * must be valid JSON (against the schema); an invalid one is sent back up to {@code max_repairs} times (0 to 5),
     * then refused with 422.
     */
    public record OutputConfig(
            @Default("false") boolean validate,
            @JsonProperty("max_repairs") @Default("2") int maxRepairs) {
        public static final OutputConfig DEFAULTS = Options.defaults(OutputConfig.class);

        public OutputConfig {
            if (maxRepairs < 0 || maxRepairs > 5) {
                throw new OptionException(maxRepairs + " is not within 0..5", "max_repairs");
            }
        }
    }

    /** The guards of a model; each is off unless declared. */
    public record GuardsConfig(PiiConfig pii, InjectionConfig injection, GroundingConfig grounding) {
        public static final GuardsConfig NONE = new GuardsConfig(null, null, null);
    }

    /**
     * The grounding check of answers to calls that carry retrieved passages (tool results): {@code action} flag, review
     * or block (422); {@code threshold} the cosine similarity a sentence needs to some passage sentence, in (0, 1).
     */
    public record GroundingConfig(
            GroundingGuard.Action action, @Default("0.5") double threshold) {
        public GroundingConfig {
            if (action == null) {
                throw new OptionException("missing; expected flag, review or block", "action");
            }
            if (!(threshold > 0 && threshold < 1)) {
                throw new OptionException(threshold + " is not a number in (0, 1)", "threshold");
            }
        }

        public GroundingGuard.Policy policy() {
            return new GroundingGuard.Policy(action, threshold);
        }
    }

    /**
     * Prompt-injection detection on user messages and tool results: {@code action} flag (note it), review (hold the
     * answer for a person) or block (400); {@code threshold} the score from which it acts, in (0, 1]; {@code
     * classifier} whether the embedding classifier runs besides the heuristics.
     */
    public record InjectionConfig(
            InjectionGuard.Action action,
            @Default("0.5") double threshold,
            @Default("true") boolean classifier) {
        public InjectionConfig {
            if (action == null) {
                throw new OptionException("missing; expected flag, review or block", "action");
            }
            if (!(threshold > 0 && threshold <= 1)) {
                throw new OptionException(threshold + " is not a number in (0, 1]", "threshold");
            }
        }

        public InjectionGuard.Policy policy() {
            return new InjectionGuard.Policy(action, threshold);
        }
    }

    /**
     * Personal data in the input: {@code action} redact (replace with [EMAIL], [CARD], ...), mask, tokenize (replace
     * with [EMAIL_1], ... and put the values back into the answer) or block (400); {@code types} to act on (when not
     * given: all of them).
     */
    public record PiiConfig(PiiGuard.Action action, List<PiiDetector.Type> types) {
        public PiiConfig {
            if (action == null) {
                throw new OptionException("missing; expected redact, mask, tokenize or block", "action");
            }
            types = types == null ? List.of() : List.copyOf(types);
        }

        public PiiGuard.Policy policy() {
            return new PiiGuard.Policy(action, types.isEmpty() ? PiiGuard.allTypes() : Set.copyOf(types));
        }
    }

    /** Operations metadata the readiness gate requires (besides owner, expected load and retention). */
    public record OperationsConfig(
            String contact,
            List<String> escalation,
            String runbook,
            ThresholdsConfig thresholds,
            String fallback,
            @JsonProperty("data_classes") List<String> dataClasses,
            @JsonProperty("review_rule") String reviewRule,
            EvaluationConfig evaluation) {}

    /**
     * The business case an evaluation on production data is held against.
     *
     * @param pocAccuracy the accuracy the proof of concept showed
     * @param productionDiscount how much of it to expect to lose in production (default 0.3; 0.2 to 0.4 is usual)
     * @param kpiBaseline the accuracy of the process the model replaces
     * @param valuePerCorrectUsd what one more correct decision than the baseline is worth
     * @param monthlyVolume decisions per month
     */
    public record EvaluationConfig(
            @JsonProperty("poc_accuracy") Double pocAccuracy,
            @JsonProperty("production_discount") Double productionDiscount,
            @JsonProperty("kpi_baseline") Double kpiBaseline,
            @JsonProperty("value_per_correct_usd") Double valuePerCorrectUsd,
            @JsonProperty("monthly_volume") Long monthlyVolume) {}

    /** Alert thresholds; each is unset unless given. */
    public record ThresholdsConfig(
            @JsonProperty("latency_p99_ms") Double latencyP99Ms,
            @JsonProperty("error_rate") Double errorRate,
            Double drift,
            Double accuracy,
            @JsonProperty("cost_per_day_usd") BigDecimal costPerDayUsd) {}

    /** A model's answer caches; either or both. */
    public record CacheConfig(ExactCacheConfig exact, SemanticCacheConfig semantic) {}

    /** Identical requests (messages and options) of a tenant. */
    public record ExactCacheConfig(
            @Default("10m") Duration ttl,
            @JsonProperty("max_entries") @Default("10000") long maxEntries) {
        public ExactCacheConfig {
            if (maxEntries < 1) {
                throw new OptionException(maxEntries + " must be at least 1", "max_entries");
            }
        }
    }

    /**
     * Requests close in meaning: cosine similarity of their embeddings by {@code embedding_model} (a declared
     * embedding model) at least {@code threshold}, in (0, 1].
     */
    public record SemanticCacheConfig(
            @JsonProperty("embedding_model") String embeddingModel,
            @Default("0.95") double threshold,
            @Default("10m") Duration ttl,
            @JsonProperty("max_entries") @Default("1000") int maxEntries) {
        public SemanticCacheConfig {
            if (threshold <= 0 || threshold > 1) {
                throw new OptionException(threshold + " is not a number in (0, 1]", "threshold");
            }
            if (maxEntries < 1) {
                throw new OptionException(maxEntries + " must be at least 1", "max_entries");
            }
        }
    }

    /**
     * @param content {@code hash} (SHA-256 digests only), {@code redacted} or {@code full} (the text, encrypted per
     *     data subject when the request names one)
     * @param keepFor how long content is kept before the purge removes it, e.g. {@code 90d}; unset keeps it until
     *     erased
     */
    public record RetentionConfig(
            @Default("hash") Retention.Form content,
            @JsonProperty("keep_for") Duration keepFor) {
        public RetentionConfig {
            if (content == null) {
                content = Retention.Form.HASH;
            }
            if (content == Retention.Form.HASH && keepFor != null) {
                throw new OptionException("only content 'full' or 'redacted' keeps anything to purge", "keep_for");
            }
            if (keepFor != null && (keepFor.isZero() || keepFor.isNegative())) {
                throw new OptionException(
                        "'" + Durations.format(keepFor) + "' must be longer than zero; expected e.g. 90d", "keep_for");
            }
        }

        public Retention policy() {
            return content == Retention.Form.HASH ? Retention.DIGESTS_ONLY : new Retention(content, keepFor);
        }
    }

    /**
     * A spending limit in US dollars. Name exactly one of {@code tenant}, {@code key} or {@code model}.
     *
     * @param period {@code day} or {@code month} (UTC)
     * @param soft alert when spend passes it
     * @param hard refuse calls that could take spend past it (429 naming the budget)
     */
    public record BudgetConfig(
            String name,
            String tenant,
            String key,
            String model,
            Budget.Period period,
            BigDecimal soft,
            BigDecimal hard) {
        public BudgetConfig {
            if (name == null || name.isBlank()) {
                throw new OptionException("missing", "name");
            }
            int scopes = (tenant != null ? 1 : 0) + (key != null ? 1 : 0) + (model != null ? 1 : 0);
            if (scopes != 1) {
                throw new OptionException("name exactly one of tenant, key or model");
            }
            if (period == null) {
                throw new OptionException("missing; expected day or month", "period");
            }
            if (soft == null && hard == null) {
                throw new OptionException("give a soft or a hard limit (US dollars)");
            }
            if ((soft != null && soft.signum() < 0) || (hard != null && hard.signum() < 0)) {
                throw new OptionException("limits must not be negative");
            }
        }

        /** The budget it declares. */
        public Budget budget() {
            Budget.Scope scope =
                    tenant != null ? Budget.Scope.TENANT : key != null ? Budget.Scope.KEY : Budget.Scope.MODEL;
            String subject = tenant != null ? tenant : key != null ? key : model;
            return new Budget(name, scope, subject, period, soft, hard);
        }
    }

    /** Per-key limits: {@code default} for every key, {@code keys} by key id. */
    public record RateLimitsConfig(@JsonProperty("default") LimitConfig byDefault, Map<String, LimitConfig> keys) {
        static final RateLimitsConfig NONE = new RateLimitsConfig(null, null);

        public RateLimitsConfig {
            byDefault = or(byDefault, LimitConfig.UNLIMITED);
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }
    }

    /** Requests and tokens per minute; unset means unlimited. */
    public record LimitConfig(
            @JsonProperty("requests_per_minute") Long requestsPerMinute,
            @JsonProperty("tokens_per_minute") Long tokensPerMinute) {
        static final LimitConfig UNLIMITED = new LimitConfig(null, null);

        public LimitConfig {
            if ((requestsPerMinute != null && requestsPerMinute < 1)
                    || (tokensPerMinute != null && tokensPerMinute < 1)) {
                throw new OptionException("requests_per_minute and tokens_per_minute must be at least 1 when set");
            }
        }

        /** The limit it declares; 0 for what is unset (unlimited). */
        public RateLimits.Limit limit() {
            return new RateLimits.Limit(or(requestsPerMinute, 0L), or(tokensPerMinute, 0L));
        }
    }

    /**
     * @param refresh no longer used: budgets are kept in one ledger (in memory on SQLite, in the database shared by
     *     all nodes on PostgreSQL), so there is nothing to refresh; accepted so that older files still load
     * @param reservationTtl how long a call's budget reservation outlives its node (at least 1s): the reservations of a
     *     node that stopped mid-call are released after it; a running node renews its own
     * @param defaultOutputTokens the output a chat call is assumed to produce when it sets no max_tokens, for budget
     *     and rate-limit estimates
     */
    public record CostConfig(
            Duration refresh,
            @JsonProperty("reservation_ttl") @Default("1m") Duration reservationTtl,

            @JsonProperty("default_output_tokens") @Default("1024")
            long defaultOutputTokens) {
        public static final CostConfig DEFAULTS = Options.defaults(CostConfig.class);

        public CostConfig {
            if (reservationTtl.toMillis() < 1000) {
                throw new OptionException(
                        "'" + Durations.format(reservationTtl) + "' is shorter than 1s", "reservation_ttl");
            }
            if (defaultOutputTokens < 1) {
                throw new OptionException(defaultOutputTokens + " must be at least 1", "default_output_tokens");
            }
        }
    }

    /**
     * The audit log's checkpoints and content purge.
     *
     * @param signingKey the Ed25519 key file that signs checkpoints; made on first start. When not given: beside the
     *     SQLite file, or {@code .airlock/audit-signing.key}
     * @param checkpointEvery sign a checkpoint after this many new records
     * @param checkpointInterval ... or after this long when anything was appended
     * @param purgeInterval how often expired content is purged
     * @param publish a file every signed checkpoint is also appended to (JSON Lines), best kept where those who can
     *     write the database cannot rewrite it; {@code airlock audit verify} checks the log against it. When not given:
     *     {@code audit-checkpoints.jsonl} beside the signing key; {@code off} publishes nowhere
     */
    public record Audit(
            @JsonProperty("signing_key") String signingKey,

            @JsonProperty("checkpoint_every") @Default("1000")
            int checkpointEvery,

            @JsonProperty("checkpoint_interval") @Default("10s")
            Duration checkpointInterval,

            @JsonProperty("purge_interval") @Default("1h") Duration purgeInterval,
            String publish) {
        public static final Audit DEFAULTS = Options.defaults(Audit.class);

        public Audit {
            if (checkpointEvery < 1) {
                throw new OptionException(checkpointEvery + " must be at least 1 record", "checkpoint_every");
            }
        }

        /** The same, signing with the key file at {@code path}. */
        public Audit withSigningKey(String path) {
            return new Audit(path, checkpointEvery, checkpointInterval, purgeInterval, publish);
        }
    }

    /**
     * A key made at start if it does not exist yet. Clients present it as {@code ak_<id>_<secret>}.
     *
     * @param secret at least 24 characters; write it as {@code ${ENV_VAR}} rather than in the file
     */
    public record KeyConfig(String id, String tenant, Role role, String name, String secret) {
        public KeyConfig {
            Map<String, Object> required = new LinkedHashMap<>();
            required.put("id", id);
            required.put("tenant", tenant);
            required.put("role", role);
            required.put("secret", secret);
            required.forEach((k, v) -> {
                if (v == null || v.toString().isBlank()) {
                    throw new OptionException("missing", k);
                }
            });
            if (secret.length() < 24) {
                throw new OptionException(
                        "too short (" + secret.length() + " characters); expected at least 24", "secret");
            }
        }
    }
}
