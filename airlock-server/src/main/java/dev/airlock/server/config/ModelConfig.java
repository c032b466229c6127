package dev.airlock.server.config;

import static dev.airlock.server.config.Options.or;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.airlock.decision.RequestKind;
import dev.airlock.guard.GroundingGuard;
import dev.airlock.guard.InjectionGuard;
import dev.airlock.guard.PiiGuard;
import dev.airlock.pii.PiiDetector;
import dev.airlock.registry.Retention;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
 * @param monitoring how its inputs and outputs are profiled: window length and reference data
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
        @Nullable CacheConfig cache,
        @JsonProperty("expected_load_rps") Double expectedLoadRps,
        OperationsConfig operations,
        GuardsConfig guards,
        Map<String, VersionConfig> versions,
        Map<String, String> aliases,
        String prompt,
        List<String> policies,
        OutputConfig output,
        MonitoringConfig monitoring) {
    public ModelConfig {
        if (kind == null || kind == RequestKind.TOOL) {
            throw new OptionException(
                    (kind == null ? "missing" : "'tool' is not a model's kind")
                            + "; expected chat, embedding or predict",
                    "kind");
        }
        route = targetsOf(route);
        retry = or(retry, RetryConfig.DEFAULTS);
        guards = or(guards, GuardsConfig.NONE);
        output = or(output, OutputConfig.DEFAULTS);
        monitoring = or(monitoring, MonitoringConfig.DEFAULTS);
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
            chatOnly(guards.injection(), "only chat models are checked for prompt injection", "guards", "injection");
            chatOnly(guards.grounding(), "only chat answers are checked for grounding", "guards", "grounding");
            chatOnly(cache, "only chat models cache answers", "cache");
            chatOnly(output.validate() ? output : null, "only chat answers are validated against a schema", "output");
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
                output,
                monitoring);
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
            throw new OptionException("'" + Durations.format(d) + "' must be longer than zero; expected e.g. 10s", key);
        }
    }

    private static void chatOnly(@Nullable Object option, String problem, Object... path) {
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
            if (!name.matches(AirlockConfig.NAME)) {
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

    /**
     * Profiles of the model's inputs and outputs (see docs/monitoring.md).
     *
     * @param reference training or validation data (CSV with a header row, relative to this file) that each version's
     *     reference profile is built from at start, unless the version has one already
     * @param window how long one profile's window is (at least 1s)
     * @param flush how often a node writes its partial profiles to the store (and always on shutdown)
     * @param retraining what retrains the model when drift or live accuracy crosses its threshold; none by default
     */
    public record MonitoringConfig(
            String reference,
            @Default("1h") Duration window,
            @Default("1m") Duration flush,
            @Nullable RetrainingConfig retraining) {
        public static final MonitoringConfig DEFAULTS = Options.defaults(MonitoringConfig.class);

        public MonitoringConfig {
            if (window.toMillis() < 1000) {
                throw new OptionException(
                        "'" + Durations.format(window) + "' is shorter than 1s; expected e.g. 1h", "window");
            }
            checkPositive(flush, "flush");
        }
    }

    /** The guards of a model; each is off unless declared. */
    public record GuardsConfig(
            @Nullable PiiConfig pii,
            @Nullable InjectionConfig injection,
            @Nullable GroundingConfig grounding) {
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
            EvaluationConfig evaluation,
            OutcomesConfig outcomes,
            FairnessConfig fairness,
            IncidentConfig incident) {}

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
}
