package dev.airlock.server.config;

import static dev.airlock.server.config.Options.or;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.airlock.cost.Budget;
import dev.airlock.cost.RateLimits;
import dev.airlock.decision.Role;
import dev.airlock.policy.Policies;
import dev.airlock.policy.Policy;
import dev.airlock.policy.Rule;
import dev.airlock.registry.PromptTemplate;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
        @Nullable Path source,
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
        TracingConfig tracing,
        AlertsConfig alerts,
        MetricsConfig metrics,
        WorkflowsConfig workflows,
        @JsonIgnore @Nullable String sourceSha256,
        @JsonIgnore @Nullable Built built) {

    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

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
        tracing = or(tracing, TracingConfig.DEFAULTS);
        alerts = or(alerts, AlertsConfig.DEFAULTS);
        metrics = or(metrics, MetricsConfig.DEFAULTS);
        workflows = or(workflows, WorkflowsConfig.DEFAULTS);
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
    public static ConfigBuilder builder() {
        return new ConfigBuilder(Options.defaults(AirlockConfig.class));
    }

    /** A builder starting from this configuration. */
    public ConfigBuilder toBuilder() {
        return new ConfigBuilder(this);
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
                tracing,
                alerts,
                metrics,
                workflows,
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
                tracing,
                alerts,
                metrics,
                workflows,
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

            @JsonProperty("metrics_token") @Nullable String metricsToken) {
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
     * @param url {@code jdbc:sqlite:<file>} (embedded; a relative file resolves against the configuration's folder when
     *     it is loaded) or {@code jdbc:postgresql://...}
     */
    public record Store(
            @Default("jdbc:sqlite:.airlock/airlock.db") String url,
            @Nullable String user,
            @Nullable String password) {
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
        public static final RateLimitsConfig NONE = Options.defaults(RateLimitsConfig.class);

        public RateLimitsConfig {
            byDefault = or(byDefault, LimitConfig.UNLIMITED);
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }
    }

    /** Requests and tokens per minute; unset means unlimited. */
    public record LimitConfig(
            @JsonProperty("requests_per_minute") @Nullable Long requestsPerMinute,
            @JsonProperty("tokens_per_minute") @Nullable Long tokensPerMinute) {
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
     *     SQLite file, or {@code .airlock/audit-signing.key} beside the configuration
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
