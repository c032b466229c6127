package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration of a node, as written in {@code airlock.yaml}. Keys are snake_case in YAML.
 *
 * @param source the file it was read from, or the directory of files; relative paths resolve against the file's
 *     folder, or the directory
 * @param sourceSha256 SHA-256 of the file's text as written (before ${VAR} substitution), recorded in the audit log
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
        @JsonIgnore String sourceSha256) {

    public AirlockConfig {
        server = server == null ? new Server(null, null, null, null) : server;
        store = store == null ? new Store(null, null, null) : store;
        bootstrap = bootstrap == null ? new Bootstrap(null) : bootstrap;
        providers = providers == null ? Map.of() : new LinkedHashMap<>(providers);
        models = models == null ? Map.of() : new LinkedHashMap<>(models);
        prompts = prompts == null ? Map.of() : new LinkedHashMap<>(prompts);
        policies = policies == null ? Map.of() : new LinkedHashMap<>(policies);
        keys = keys == null ? List.of() : List.copyOf(keys);
        audit = audit == null ? new Audit(null, null, null, null, null) : audit;
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
        rateLimits = rateLimits == null ? new RateLimitsConfig(null, null) : rateLimits;
        cost = cost == null ? new CostConfig(null, null, null) : cost;
        deployments = deployments == null ? new DeploymentsConfig(null, null, null, null) : deployments;
        review = review == null ? new ReviewConfig(null, null, null, null, null) : review;
    }

    /** This configuration as read from {@code file}, whose text as written has SHA-256 {@code sha256}. */
    public AirlockConfig withSource(Path file, String sha256) {
        return new AirlockConfig(
                file,
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
                sha256);
    }

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
                sourceSha256);
    }

    /** Resolves a path written in the config against the config file's folder. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || source == null) {
            return p;
        }
        Path dir = java.nio.file.Files.isDirectory(source)
                ? source.toAbsolutePath()
                : source.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }

    /**
     * Where the node listens.
     *
     * @param host the interface; 127.0.0.1 by default
     * @param port the port; 8080 by default, 0 for any free port
     * @param maxBodyBytes the largest request body accepted; 1 MiB by default
     * @param metricsToken when set, {@code /metrics} answers only requests presenting it as a bearer token
     */
    public record Server(
            String host,
            Integer port,
            @JsonProperty("max_body_bytes") Long maxBodyBytes,
            @JsonProperty("metrics_token") String metricsToken) {
        public Server {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? 8080 : port;
            maxBodyBytes = maxBodyBytes == null ? 1_048_576L : maxBodyBytes;
        }
    }

    /**
     * Where Decisions and keys are kept.
     *
     * @param url {@code jdbc:sqlite:<file>} (embedded, the default) or {@code jdbc:postgresql://...}
     */
    public record Store(String url, String user, String password) {
        public Store {
            url = url == null ? "jdbc:sqlite:.airlock/airlock.db" : url;
        }
    }

    /** @param adminTenant the tenant of the admin key made on first start when there is none */
    public record Bootstrap(@JsonProperty("admin_tenant") String adminTenant) {
        public Bootstrap {
            adminTenant = adminTenant == null ? "default" : adminTenant;
        }
    }

    /**
     * A provider: an upstream API or an in-process model.
     *
     * @param kind {@code openai} (any OpenAI-compatible HTTP API), {@code minilm-embeddings} or {@code onnx-tabular}
     * @param baseUrl for openai: the API root, e.g. {@code https://api.openai.com/v1}
     * @param apiKey for openai: sent as a bearer token when set
     * @param headers for openai: extra headers, e.g. Azure's {@code api-key}
     * @param query for openai: extra query parameters, e.g. Azure's {@code api-version}
     * @param timeout for openai: longest wait for an answer (a stream: for its start, and longest silence within it),
     *     e.g. {@code 60s}
     * @param connectTimeout for openai: longest wait to connect, e.g. {@code 5s}
     * @param path for onnx-tabular: the {@code .onnx} file, with its {@code .schema.json} beside it
     * @param prices per upstream model name: US dollars per million tokens
     * @param trust where data sent to it goes: on-premises, in-region or external (the default for openai)
     * @param region where it runs, e.g. eu-west; informational
     * @param breaker when its circuit breaker opens
     * @param lifecycle per upstream model name: deprecation and retirement dates
     * @param maxInFlight most calls in flight to it at once (default 128)
     * @param queue most calls waiting for a slot beyond that (default 128); more are refused with 429 at once
     * @param queueTimeout longest wait for a slot (default 250ms)
     */
    public record ProviderConfig(
            String kind,
            @JsonProperty("base_url") String baseUrl,
            @JsonProperty("api_key") String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            String timeout,
            @JsonProperty("connect_timeout") String connectTimeout,
            String path,
            Map<String, PriceConfig> prices,
            String trust,
            String region,
            BreakerConfig breaker,
            Map<String, LifecycleConfig> lifecycle,
            @JsonProperty("max_in_flight") Integer maxInFlight,
            Integer queue,
            @JsonProperty("queue_timeout") String queueTimeout) {
        public ProviderConfig {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            query = query == null ? Map.of() : Map.copyOf(query);
            prices = prices == null ? Map.of() : Map.copyOf(prices);
            lifecycle = lifecycle == null ? Map.of() : Map.copyOf(lifecycle);
        }
    }

    /** US dollars per million tokens; {@code cached_input} for prompt tokens served from the provider's cache. */
    public record PriceConfig(
            java.math.BigDecimal input,
            java.math.BigDecimal output,
            @JsonProperty("cached_input") java.math.BigDecimal cachedInput) {}

    /**
     * @param failureRate percent of failed calls in the window that opens the breaker (default 50)
     * @param window how many recent calls count (default 20)
     * @param minCalls fewest calls in the window before it may open (default 10)
     * @param openFor how long it stays open before probing (default 30s)
     */
    public record BreakerConfig(
            @JsonProperty("failure_rate") Integer failureRate,
            Integer window,
            @JsonProperty("min_calls") Integer minCalls,
            @JsonProperty("open_for") String openFor) {}

    /** Dates (YYYY-MM-DD) from which an upstream model is deprecated (warn) and retired (skipped). */
    public record LifecycleConfig(
            @JsonProperty("deprecated_on") String deprecatedOn,
            @JsonProperty("retires_on") String retiresOn) {
        public java.time.LocalDate deprecatedDate() {
            return deprecatedOn == null ? null : java.time.LocalDate.parse(deprecatedOn);
        }

        public java.time.LocalDate retirementDate() {
            return retiresOn == null ? null : java.time.LocalDate.parse(retiresOn);
        }
    }

    /** One target of a model's route. */
    public record RouteConfig(
            String provider, @JsonProperty("upstream_model") String upstreamModel, Integer weight) {}

    /**
     * @param attempts tries per target on retryable failures (default 2)
     * @param backoff the first wait between tries, doubling with full jitter (default 200ms)
     * @param maxBackoff the longest wait, and the longest Retry-After honoured (default 5s)
     */
    public record RetryConfig(
            Integer attempts,
            String backoff,
            @JsonProperty("max_backoff") String maxBackoff) {}

    /**
     * A model callers can name.
     *
     * @param kind chat, embedding or predict
     * @param provider the provider's name under {@code providers}
     * @param upstreamModel the name the provider knows it by; the model's own name by default
     * @param version the version recorded in every Decision
     * @param example a request body that works, shown at start and in docs
     * @param retention what its Decisions keep of input and output; digests only by default
     * @param route targets in fallback order (instead of {@code provider}/{@code upstream_model}); with weights, the
     *     first attempt is split by weight
     * @param retry attempts per target and backoff
     * @param deadline the longest a call may take across every attempt and fallback, streams included (default 60s)
     * @param attemptTimeout the longest one attempt may take before the call moves on (default: an equal share of
     *     what is left of the deadline per target still to try)
     * @param cache opt-in answer caches (chat models, calls that do not stream)
     * @param operations owner contact, runbook, thresholds and the rest the readiness gate checks
     * @param guards input guards (personal data)
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
            String kind,
            String provider,
            @JsonProperty("upstream_model") String upstreamModel,
            String version,
            String owner,
            String description,
            Map<String, Object> example,
            RetentionConfig retention,
            List<RouteConfig> route,
            RetryConfig retry,
            String deadline,
            @JsonProperty("attempt_timeout") String attemptTimeout,
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
            policies = policies == null ? List.of() : List.copyOf(policies);
            versions = versions == null ? Map.of() : new LinkedHashMap<>(versions);
            aliases = aliases == null ? Map.of() : new LinkedHashMap<>(aliases);
        }

        /** The declared version's targets: {@code route}, or the one {@code provider}. */
        public List<RouteConfig> targets() {
            return route != null && !route.isEmpty() ? route : List.of(new RouteConfig(provider, upstreamModel, null));
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
        /** Whether it declares its own targets rather than using the model's. */
        public boolean routed() {
            return provider != null || (route != null && !route.isEmpty());
        }

        public List<RouteConfig> targets() {
            return route != null && !route.isEmpty() ? route : List.of(new RouteConfig(provider, upstreamModel, null));
        }
    }

    /** A policy and its versions. */
    public record PolicyConfig(String description, Map<String, PolicyVersionConfig> versions) {
        public PolicyConfig {
            versions = versions == null ? Map.of() : new LinkedHashMap<>(versions);
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
            rules = rules == null ? List.of() : List.copyOf(rules);
            examples = examples == null ? List.of() : List.copyOf(examples);
        }

        /**
         * This version as a policy (not yet compiled).
         *
         * @throws IllegalArgumentException for an unknown stage or effect, naming it
         */
        public dev.airlock.policy.Policy policy(String name, String version) {
            List<dev.airlock.policy.Rule> built = new java.util.ArrayList<>();
            for (RuleConfig r : rules) {
                built.add(new dev.airlock.policy.Rule(
                        r.name(),
                        stage(r.stage()),
                        r.when(),
                        dev.airlock.policy.Rule.Effect.parse(r.effect()),
                        r.reason()));
            }
            List<dev.airlock.policy.Policy.Example> cases = new java.util.ArrayList<>();
            for (ExampleConfig e : examples) {
                cases.add(new dev.airlock.policy.Policy.Example(
                        e.name(),
                        stage(e.stage()),
                        e.context(),
                        dev.airlock.policy.Rule.Effect.parse(e.expect()),
                        e.reasons()));
            }
            return new dev.airlock.policy.Policy(name, version, labels, built, cases);
        }

        private static dev.airlock.policy.Rule.Stage stage(String id) {
            if (id == null || id.equals("input")) {
                return dev.airlock.policy.Rule.Stage.INPUT;
            }
            if (id.equals("output")) {
                return dev.airlock.policy.Rule.Stage.OUTPUT;
            }
            throw new IllegalArgumentException("stage '" + id + "' is not one of input, output");
        }
    }

    /**
     * A policy rule.
     *
     * @param stage {@code input} (default) or {@code output}
     * @param when a CEL expression of type bool
     * @param effect {@code allow}, {@code redact} (input only) or {@code deny}
     * @param reason the reason code recorded in the Decision (default: the rule's name in capitals)
     */
    public record RuleConfig(String name, String stage, String when, String effect, String reason) {}

    /**
     * An example case for a policy version.
     *
     * @param context the Decision context the rules see ({@code tenant}, {@code model}, {@code request}, {@code
     *     provider}, {@code guard}, {@code output})
     * @param expect the effect the policy must give: allow, redact or deny
     * @param reasons the reason codes expected, in rule order (optional)
     */
    public record ExampleConfig(
            String name, String stage, Map<String, Object> context, String expect, List<String> reasons) {}

    /**
     * A prompt and its versions.
     *
     * @param versions by version: the template, its typed variables and labels
     */
    public record PromptConfig(String description, Map<String, PromptVersionConfig> versions) {
        public PromptConfig {
            versions = versions == null ? Map.of() : new LinkedHashMap<>(versions);
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
            variables = variables == null ? Map.of() : new LinkedHashMap<>(variables);
            labels = labels == null ? List.of() : List.copyOf(labels);
        }

        /**
         * This version as a template.
         *
         * @throws IllegalArgumentException when the template and its variables do not match, or a type is unknown
         */
        public dev.airlock.registry.PromptTemplate template(String name, String version) {
            Map<String, dev.airlock.registry.PromptTemplate.Variable> typed = new LinkedHashMap<>();
            variables.forEach((key, c) -> {
                String type = c == null || c.type() == null ? "string" : c.type();
                dev.airlock.registry.PromptTemplate.Variable.Type parsed;
                try {
                    parsed = dev.airlock.registry.PromptTemplate.Variable.Type.valueOf(
                            type.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("variable '" + key + "': type '" + type
                            + "' is not one of string, integer, number, boolean");
                }
                Object fallback = c == null ? null : c.defaultValue();
                boolean required = c == null || c.required() == null ? fallback == null : c.required();
                typed.put(
                        key,
                        new dev.airlock.registry.PromptTemplate.Variable(
                                parsed,
                                required,
                                fallback,
                                c == null ? null : c.allowed(),
                                c == null || c.maxLength() == null ? 0 : c.maxLength()));
            });
            return new dev.airlock.registry.PromptTemplate(
                    name, version, template == null ? "" : template, typed, labels, description);
        }
    }

    /**
     * A prompt variable.
     *
     * @param type {@code string} (default), {@code integer}, {@code number} or {@code boolean}
     * @param required whether a call must give it (default: true unless it has a default)
     * @param defaultValue used when a call gives none
     * @param allowed the only values accepted
     * @param maxLength the longest value accepted, in characters
     */
    public record VariableConfig(
            String type,
            Boolean required,
            @JsonProperty("default") Object defaultValue,
            @JsonProperty("enum") List<String> allowed,
            @JsonProperty("max_length") Integer maxLength) {}

    /**
     * Human review of held answers.
     *
     * @param sla how long a held answer may wait for a decision before it is escalated (default 4h)
     * @param checkInterval how often due times are checked (default 30s)
     * @param callbackHosts the hosts a caller's {@code Airlock-Review-Callback} may name (none by default: Airlock
     *     only calls hosts its operators list, never wherever a request points it)
     * @param waitFor how long a held call waits for a quick decision before it answers 202 (default 0s: at once)
     * @param callbackSecret when set, callbacks carry {@code Airlock-Signature: sha256=<HMAC-SHA256 of the body>}
     */
    public record ReviewConfig(
            String sla,
            @JsonProperty("check_interval") String checkInterval,
            @JsonProperty("callback_hosts") List<String> callbackHosts,
            @JsonProperty("wait") String waitFor,
            @JsonProperty("callback_secret") String callbackSecret) {
        public ReviewConfig {
            waitFor = waitFor == null ? "0s" : waitFor;
            sla = sla == null ? "4h" : sla;
            checkInterval = checkInterval == null ? "30s" : checkInterval;
            callbackHosts = callbackHosts == null ? List.of() : List.copyOf(callbackHosts);
        }
    }

    /**
     * How deployments behave.
     *
     * @param refresh how stale a node's view of deployments may be before it re-reads them (default 2s): the bound
     *     on how long a promotion or rollback made elsewhere takes to reach this node
     * @param canaryWindow how many recent calls of a canary (and of production) are judged (default 200)
     * @param canaryMinCalls fewest canary calls before it may be rolled back automatically (default 20)
     * @param shadowMaxInFlight most shadow copies running at once; more are skipped (default 64)
     */
    public record DeploymentsConfig(
            String refresh,
            @JsonProperty("canary_window") Integer canaryWindow,
            @JsonProperty("canary_min_calls") Integer canaryMinCalls,
            @JsonProperty("shadow_max_in_flight") Integer shadowMaxInFlight) {
        public DeploymentsConfig {
            refresh = refresh == null ? "2s" : refresh;
            canaryWindow = canaryWindow == null ? 200 : canaryWindow;
            canaryMinCalls = canaryMinCalls == null ? 20 : canaryMinCalls;
            shadowMaxInFlight = shadowMaxInFlight == null ? 64 : shadowMaxInFlight;
        }
    }

    /**
     * Output validation: with {@code validate}, a chat answer asked for as {@code json_schema} or {@code json_object}
     * must be valid JSON (against the schema); an invalid one is sent back up to {@code max_repairs} times (default 2),
     * then refused with 422.
     */
    public record OutputConfig(
            Boolean validate, @JsonProperty("max_repairs") Integer maxRepairs) {}

    /** Input guards of a model. */
    public record GuardsConfig(PiiConfig pii, InjectionConfig injection, GroundingConfig grounding) {}

    /**
     * The grounding check of answers to calls that carry retrieved passages (tool results): {@code action} flag, review
     * or block (422); {@code threshold} the cosine similarity a sentence needs to some passage sentence (default 0.5).
     */
    public record GroundingConfig(String action, Double threshold) {}

    /**
     * Prompt-injection detection on user messages and tool results: {@code action} flag (note it), review (hold the
     * answer for a person) or block (400); {@code threshold} the score from which it acts (default 0.5); {@code
     * classifier} whether the embedding classifier runs besides the heuristics (default true).
     */
    public record InjectionConfig(String action, Double threshold, Boolean classifier) {}

    /**
     * Personal data in the input: {@code action} redact (replace with [EMAIL], [CARD], ...), tokenize (replace with
     * [EMAIL_1], ... and put the values back into the answer) or block (400); {@code
     * types} to act on (default: all of email, phone, card, iban, ssn, ip_address, date_of_birth, secret, national_id, person_name, postal_address).
     */
    public record PiiConfig(String action, List<String> types) {}

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

    /** Alert thresholds. */
    public record ThresholdsConfig(
            @JsonProperty("latency_p99_ms") Double latencyP99Ms,
            @JsonProperty("error_rate") Double errorRate,
            Double drift,
            Double accuracy,
            @JsonProperty("cost_per_day_usd") java.math.BigDecimal costPerDayUsd) {}

    /** A model's answer caches; either or both. */
    public record CacheConfig(ExactCacheConfig exact, SemanticCacheConfig semantic) {}

    /** Identical requests (messages and options) of a tenant; {@code ttl} default 10m, {@code max_entries} 10000. */
    public record ExactCacheConfig(
            String ttl, @JsonProperty("max_entries") Long maxEntries) {}

    /**
     * Requests close in meaning: cosine similarity of their embeddings by {@code embedding_model} (a declared
     * embedding model) at least {@code threshold} (default 0.95); {@code ttl} default 10m, {@code max_entries} 1000.
     */
    public record SemanticCacheConfig(
            @JsonProperty("embedding_model") String embeddingModel,
            Double threshold,
            String ttl,
            @JsonProperty("max_entries") Integer maxEntries) {}

    /**
     * @param content {@code hash} (SHA-256 digests only, the default) or {@code full} (the text, encrypted per data
     *     subject when the request names one)
     * @param keepFor how long content is kept before the purge removes it, e.g. {@code 90d}; unset keeps it until
     *     erased
     */
    public record RetentionConfig(
            String content, @JsonProperty("keep_for") String keepFor) {}

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
            String period,
            java.math.BigDecimal soft,
            java.math.BigDecimal hard) {}

    /** Per-key limits: {@code default} for every key, {@code keys} by key id. */
    public record RateLimitsConfig(@JsonProperty("default") LimitConfig byDefault, Map<String, LimitConfig> keys) {
        public RateLimitsConfig {
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }
    }

    /** Requests and tokens per minute; unset means unlimited. */
    public record LimitConfig(
            @JsonProperty("requests_per_minute") Long requestsPerMinute,
            @JsonProperty("tokens_per_minute") Long tokensPerMinute) {}

    /**
     * @param refresh no longer used: budgets are kept in one ledger (in memory on SQLite, in the database shared by
     *     all nodes on PostgreSQL), so there is nothing to refresh; accepted so that older files still load
     * @param reservationTtl how long a call's budget reservation outlives its node (default 1m): the reservations of a
     *     node that stopped mid-call are released after it; a running node renews its own
     * @param defaultOutputTokens the output a chat call is assumed to produce when it sets no max_tokens (default
     *     1024), for budget and rate-limit estimates
     */
    public record CostConfig(
            String refresh,
            @JsonProperty("reservation_ttl") String reservationTtl,
            @JsonProperty("default_output_tokens") Long defaultOutputTokens) {
        public CostConfig {
            reservationTtl = reservationTtl == null ? "1m" : reservationTtl;
            defaultOutputTokens = defaultOutputTokens == null ? 1024L : defaultOutputTokens;
        }
    }

    /**
     * The audit log's checkpoints and content purge.
     *
     * @param signingKey the Ed25519 key file that signs checkpoints; made on first start. Default: beside the SQLite
     *     file, or {@code .airlock/audit-signing.key}
     * @param checkpointEvery sign a checkpoint after this many new records (default 1000)
     * @param checkpointInterval ... or after this long when anything was appended (default 10s)
     * @param purgeInterval how often expired content is purged (default 1h)
     * @param publish a file every signed checkpoint is also appended to (JSON Lines), best kept where those who can
     *     write the database cannot rewrite it; {@code airlock audit verify} checks the log against it. Default:
     *     {@code audit-checkpoints.jsonl} beside the signing key; {@code off} publishes nowhere
     */
    public record Audit(
            @JsonProperty("signing_key") String signingKey,
            @JsonProperty("checkpoint_every") Integer checkpointEvery,
            @JsonProperty("checkpoint_interval") String checkpointInterval,
            @JsonProperty("purge_interval") String purgeInterval,
            String publish) {
        public Audit {
            checkpointEvery = checkpointEvery == null ? 1000 : checkpointEvery;
            checkpointInterval = checkpointInterval == null ? "10s" : checkpointInterval;
            purgeInterval = purgeInterval == null ? "1h" : purgeInterval;
        }
    }

    /**
     * A key made at start if it does not exist yet. Clients present it as {@code ak_<id>_<secret>}.
     *
     * @param secret at least 24 characters; write it as {@code ${ENV_VAR}} rather than in the file
     */
    public record KeyConfig(String id, String tenant, String role, String name, String secret) {}
}
