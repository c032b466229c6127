package dev.airlock.server.config;

import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks what binding cannot: references between sections, allowed values, files that must exist. */
final class ConfigValidator {
    static final Set<String> PROVIDER_KINDS = Set.of("openai", "minilm-embeddings", "onnx-tabular");

    private final Locator locator;

    ConfigValidator(Locator locator) {
        this.locator = locator;
    }

    void validate(AirlockConfig config) {
        checkServer(config.server());
        config.providers().forEach((name, provider) -> checkProvider(config, name, provider));
        var prompts = checkPrompts(config);
        config.models().forEach((name, model) -> checkModel(config, name, model));
        config.models().forEach((name, model) -> checkPromptRefs(prompts, name, model));
        var policies = checkPolicies(config);
        config.models().forEach((name, model) -> checkPolicyRefs(policies, name, model));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < config.keys().size(); i++) {
            checkKey(i, config.keys().get(i), ids);
        }
        checkAudit(config.audit());
        Set<String> budgetNames = new HashSet<>();
        for (int i = 0; i < config.budgets().size(); i++) {
            checkBudget(config, i, config.budgets().get(i), budgetNames);
        }
        checkLimit(
                "/rate_limits/default",
                "rate_limits.default",
                config.rateLimits().byDefault());
        config.rateLimits()
                .keys()
                .forEach((key, limit) -> checkLimit("/rate_limits/keys/" + key, "rate_limits.keys." + key, limit));
        checkDuration("/cost/refresh", "cost.refresh", config.cost().refresh());
        checkDuration(
                "/cost/reservation_ttl", "cost.reservation_ttl", config.cost().reservationTtl());
        try {
            if (Durations.parse(config.cost().reservationTtl()).toMillis() < 1000) {
                fail(
                        "/cost/reservation_ttl",
                        "cost.reservation_ttl: '" + config.cost().reservationTtl() + "' is shorter than 1s");
            }
        } catch (IllegalArgumentException reportedAbove) {
            // checkDuration named it
        }
        if (config.cost().defaultOutputTokens() < 1) {
            fail("/cost/default_output_tokens", "cost.default_output_tokens: must be at least 1");
        }
        checkDuration("/review/sla", "review.sla", config.review().sla());
        checkDuration(
                "/review/check_interval",
                "review.check_interval",
                config.review().checkInterval());
        checkDuration("/review/wait", "review.wait", config.review().waitFor());
        var d = config.deployments();
        checkDuration("/deployments/refresh", "deployments.refresh", d.refresh());
        if (d.canaryMinCalls() < 1 || d.canaryWindow() < d.canaryMinCalls()) {
            fail(
                    "/deployments",
                    "deployments: need 1 <= canary_min_calls <= canary_window, not " + d.canaryMinCalls() + " and "
                            + d.canaryWindow());
        }
        if (d.shadowMaxInFlight() < 1) {
            fail("/deployments/shadow_max_in_flight", "deployments.shadow_max_in_flight: must be at least 1");
        }
    }

    private dev.airlock.registry.PromptTemplate.Catalog checkPrompts(AirlockConfig config) {
        List<dev.airlock.registry.PromptTemplate> all = new java.util.ArrayList<>();
        config.prompts().forEach((name, p) -> {
            String at = "/prompts/" + name;
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                fail(at, "prompts." + name + ": a prompt name is letters, digits, '.', '_' or '-'");
            }
            if (p == null || p.versions().isEmpty()) {
                fail(at, "prompts." + name + ".versions: missing; a prompt has at least one version");
            }
            p.versions().forEach((version, v) -> {
                String where = at + "/versions/" + version;
                String field = "prompts." + name + ".versions." + version;
                if (v == null || v.template() == null || v.template().isBlank()) {
                    fail(where, field + ".template: missing");
                }
                try {
                    all.add(v.template(name, version));
                } catch (IllegalArgumentException e) {
                    fail(where, field + ": " + e.getMessage());
                }
            });
        });
        try {
            return new dev.airlock.registry.PromptTemplate.Catalog(all);
        } catch (IllegalArgumentException e) {
            fail("/prompts", "prompts: " + e.getMessage());
            return null;
        }
    }

    private dev.airlock.policy.Policies checkPolicies(AirlockConfig config) {
        List<dev.airlock.policy.Policy> all = new java.util.ArrayList<>();
        config.policies().forEach((name, p) -> {
            String at = "/policies/" + name;
            if (p == null || p.versions().isEmpty()) {
                fail(at, "policies." + name + ".versions: missing; a policy has at least one version");
            }
            p.versions().forEach((version, v) -> {
                String where = at + "/versions/" + version;
                String field = "policies." + name + ".versions." + version;
                if (v == null || v.rules().isEmpty()) {
                    fail(where, field + ".rules: missing; a policy version has at least one rule");
                }
                for (int i = 0; i < v.rules().size(); i++) {
                    var r = v.rules().get(i);
                    String ruleAt = where + "/rules/" + i;
                    String ruleField = field + ".rules[" + i + "]";
                    if (r == null || r.name() == null || r.when() == null || r.effect() == null) {
                        fail(ruleAt, ruleField + ": needs name, when and effect");
                    }
                    if (("redact".equals(r.effect())) && "output".equals(r.stage())) {
                        fail(
                                ruleAt + "/effect",
                                ruleField + ".effect: redact applies at input only (output"
                                        + " redaction is not supported yet); use deny");
                    }
                }
                dev.airlock.policy.Policy policy;
                try {
                    policy = v.policy(name, version);
                } catch (IllegalArgumentException | NullPointerException e) {
                    fail(where, field + ": " + e.getMessage());
                    return;
                }
                try {
                    dev.airlock.policy.Policies.compile(List.of(policy));
                } catch (dev.airlock.policy.Policies.InvalidPolicy e) {
                    fail(
                            where + "/rules/" + e.ruleIndex() + "/when",
                            field + ".rules[" + e.ruleIndex() + "].when: " + e.getMessage());
                }
                all.add(policy);
            });
        });
        return dev.airlock.policy.Policies.compile(all);
    }

    private void checkPolicyRefs(dev.airlock.policy.Policies policies, String name, AirlockConfig.ModelConfig m) {
        java.util.function.BiConsumer<String, List<String>> check = (at, refs) -> {
            for (int i = 0; i < refs.size(); i++) {
                if (policies.find(refs.get(i)).isEmpty()) {
                    fail(
                            at + "/" + i,
                            at.substring(1).replace('/', '.') + "[" + i + "]: no policy '" + refs.get(i)
                                    + "'; declared: " + policies.names() + " (write name@version or name@label)");
                }
            }
        };
        check.accept("/models/" + name + "/policies", m.policies());
        m.versions().forEach((version, v) -> {
            if (v != null && v.policies() != null) {
                check.accept("/models/" + name + "/versions/" + version + "/policies", v.policies());
            }
        });
    }

    private void checkPromptRefs(
            dev.airlock.registry.PromptTemplate.Catalog prompts, String name, AirlockConfig.ModelConfig m) {
        checkPromptRef(prompts, "/models/" + name + "/prompt", "models." + name + ".prompt", m.prompt());
        m.versions().forEach((version, v) -> {
            if (v != null) {
                checkPromptRef(
                        prompts,
                        "/models/" + name + "/versions/" + version + "/prompt",
                        "models." + name + ".versions." + version + ".prompt",
                        v.prompt());
            }
        });
    }

    private void checkPromptRef(
            dev.airlock.registry.PromptTemplate.Catalog prompts, String at, String field, String ref) {
        if (ref != null && prompts.find(ref).isEmpty()) {
            fail(
                    at,
                    field + ": no prompt '" + ref + "'; declared: " + prompts.names()
                            + " (write name@version or name@label)");
        }
    }

    private void checkBudget(AirlockConfig config, int i, AirlockConfig.BudgetConfig b, Set<String> names) {
        String at = "/budgets/" + i;
        String field = "budgets[" + i + "]";
        if (b == null || b.name() == null || b.name().isBlank()) {
            fail(at, field + ".name: missing");
        }
        if (!names.add(b.name())) {
            fail(at + "/name", field + ".name: '" + b.name() + "' is used twice");
        }
        int scopes = (b.tenant() != null ? 1 : 0) + (b.key() != null ? 1 : 0) + (b.model() != null ? 1 : 0);
        if (scopes != 1) {
            fail(at, field + ": name exactly one of tenant, key or model");
        }
        if (b.model() != null && !config.models().containsKey(b.model())) {
            fail(at + "/model", field + ".model: model '" + b.model() + "' is not declared");
        }
        if (b.period() == null || !(b.period().equals("day") || b.period().equals("month"))) {
            fail(at + "/period", field + ".period: expected day or month");
        }
        if (b.soft() == null && b.hard() == null) {
            fail(at, field + ": give a soft or a hard limit (US dollars)");
        }
        if ((b.soft() != null && b.soft().signum() < 0)
                || (b.hard() != null && b.hard().signum() < 0)) {
            fail(at, field + ": limits must not be negative");
        }
    }

    private void checkLimit(String at, String field, AirlockConfig.LimitConfig limit) {
        if (limit == null) {
            return;
        }
        if ((limit.requestsPerMinute() != null && limit.requestsPerMinute() < 1)
                || (limit.tokensPerMinute() != null && limit.tokensPerMinute() < 1)) {
            fail(at, field + ": requests_per_minute and tokens_per_minute must be at least 1 when set");
        }
    }

    private void checkAudit(AirlockConfig.Audit audit) {
        if (audit.checkpointEvery() < 1) {
            fail(
                    "/audit/checkpoint_every",
                    "audit.checkpoint_every: " + audit.checkpointEvery() + " must be at least 1 record");
        }
        checkDuration("/audit/checkpoint_interval", "audit.checkpoint_interval", audit.checkpointInterval());
        checkDuration("/audit/purge_interval", "audit.purge_interval", audit.purgeInterval());
    }

    private void checkServer(AirlockConfig.Server server) {
        if (server.port() < 0 || server.port() > 65_535) {
            fail("/server/port", "server.port: " + server.port() + " is not a port (0-65535)");
        }
        if (server.maxBodyBytes() < 1_024) {
            fail(
                    "/server/max_body_bytes",
                    "server.max_body_bytes: " + server.maxBodyBytes() + " is too small; expected at least 1024");
        }
    }

    private void checkProvider(AirlockConfig config, String name, AirlockConfig.ProviderConfig p) {
        String at = "/providers/" + name;
        if (p == null || p.kind() == null) {
            fail(at, "providers." + name + ".kind: missing; expected one of " + PROVIDER_KINDS);
        }
        if (!PROVIDER_KINDS.contains(p.kind())) {
            fail(at + "/kind", "providers." + name + ".kind: '" + p.kind() + "' is not one of " + PROVIDER_KINDS);
        }
        switch (p.kind()) {
            case "openai" -> checkOpenAi(name, p);
            case "onnx-tabular" -> checkOnnx(config, name, p);
            default -> {}
        }
        String field = "providers." + name;
        p.prices().forEach((model, price) -> {
            String where = at + "/prices/" + model;
            if (price == null || price.input() == null || price.output() == null) {
                fail(
                        where,
                        field + ".prices." + model
                                + ": expected {input: <USD per million>, output: <USD per million>}");
            }
            if (price.input().signum() < 0
                    || price.output().signum() < 0
                    || (price.cachedInput() != null && price.cachedInput().signum() < 0)) {
                fail(where, field + ".prices." + model + ": prices must not be negative");
            }
        });
        p.lifecycle().forEach((model, dates) -> {
            for (String date : java.util.Arrays.asList(
                    dates == null ? null : dates.deprecatedOn(), dates == null ? null : dates.retiresOn())) {
                if (date != null) {
                    try {
                        java.time.LocalDate.parse(date);
                    } catch (java.time.format.DateTimeParseException e) {
                        fail(
                                at + "/lifecycle/" + model,
                                field + ".lifecycle." + model + ": '" + date + "' is not a date like 2026-12-31");
                    }
                }
            }
        });
        if (p.maxInFlight() != null && p.maxInFlight() < 1) {
            fail(at + "/max_in_flight", field + ".max_in_flight: " + p.maxInFlight() + " must be at least 1");
        }
        if (p.queue() != null && p.queue() < 0) {
            fail(at + "/queue", field + ".queue: " + p.queue() + " must not be negative");
        }
        checkDuration(at + "/queue_timeout", field + ".queue_timeout", p.queueTimeout());
        if (p.trust() != null && !TRUST.contains(p.trust())) {
            fail(at + "/trust", field + ".trust: '" + p.trust() + "' is not one of " + TRUST);
        }
        if (p.breaker() != null) {
            var b = p.breaker();
            if (b.failureRate() != null && (b.failureRate() < 1 || b.failureRate() > 100)) {
                fail(
                        at + "/breaker/failure_rate",
                        field + ".breaker.failure_rate: " + b.failureRate() + " is not a percentage within 1..100");
            }
            if ((b.window() != null && b.window() < 1) || (b.minCalls() != null && b.minCalls() < 1)) {
                fail(at + "/breaker", field + ".breaker: window and min_calls must be at least 1");
            }
            checkDuration(at + "/breaker/open_for", field + ".breaker.open_for", b.openFor());
        }
    }

    private static final java.util.List<String> TRUST = java.util.List.of("on-premises", "in-region", "external");

    private void checkOpenAi(String name, AirlockConfig.ProviderConfig p) {
        String at = "/providers/" + name;
        if (p.baseUrl() == null || p.baseUrl().isBlank()) {
            fail(at, "providers." + name + ".base_url: missing; expected e.g. https://api.openai.com/v1");
        }
        try {
            URI uri = URI.create(p.baseUrl());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            fail(
                    at + "/base_url",
                    "providers." + name + ".base_url: '" + p.baseUrl()
                            + "' is not an http(s) URL; expected e.g. https://api.openai.com/v1");
        }
        checkDuration(at + "/timeout", "providers." + name + ".timeout", p.timeout());
        checkDuration(at + "/connect_timeout", "providers." + name + ".connect_timeout", p.connectTimeout());
    }

    private void checkOnnx(AirlockConfig config, String name, AirlockConfig.ProviderConfig p) {
        String at = "/providers/" + name;
        if (p.path() == null || p.path().isBlank()) {
            fail(at, "providers." + name + ".path: missing; expected the .onnx file of the model");
        }
        Path model = config.resolve(p.path());
        if (!Files.isRegularFile(model)) {
            fail(at + "/path", "providers." + name + ".path: no file at " + model);
        }
    }

    private void checkDuration(String pointer, String field, String value) {
        if (value == null) {
            return;
        }
        try {
            Durations.parse(value);
        } catch (IllegalArgumentException e) {
            fail(pointer, field + ": " + e.getMessage());
        }
    }

    private void checkPositiveDuration(String pointer, String field, String value) {
        checkDuration(pointer, field, value);
        if (value != null && Durations.parse(value).isZero()) {
            fail(pointer, field + ": '" + value + "' must be longer than zero; expected e.g. 10s");
        }
    }

    private void checkModel(AirlockConfig config, String name, AirlockConfig.ModelConfig m) {
        String at = "/models/" + name;
        if (m == null || m.kind() == null) {
            fail(at, "models." + name + ".kind: missing; expected chat, embedding or predict");
        }
        RequestKind kind;
        try {
            kind = RequestKind.valueOf(m.kind().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            fail(at + "/kind", "models." + name + ".kind: '" + m.kind() + "' is not one of chat, embedding, predict");
            return;
        }
        boolean routed = m.route() != null && !m.route().isEmpty();
        if (routed && m.provider() != null) {
            fail(at + "/route", "models." + name + ": give either provider (one target) or route (several), not both");
        }
        if (!routed) {
            checkTarget(config, at, "models." + name, m.provider(), kind);
        }
        if (routed) {
            for (int i = 0; i < m.route().size(); i++) {
                var r = m.route().get(i);
                String where = at + "/route/" + i;
                String field = "models." + name + ".route[" + i + "]";
                if (r == null) {
                    fail(where, field + ": empty; expected {provider, upstream_model, weight}");
                }
                checkTarget(config, where, field, r.provider(), kind);
                if (r.weight() != null && r.weight() < 0) {
                    fail(where + "/weight", field + ".weight: " + r.weight() + " must not be negative");
                }
            }
        }
        if (m.retry() != null) {
            if (m.retry().attempts() != null
                    && (m.retry().attempts() < 1 || m.retry().attempts() > 10)) {
                fail(
                        at + "/retry/attempts",
                        "models." + name + ".retry.attempts: " + m.retry().attempts() + " is not within 1..10");
            }
            checkDuration(
                    at + "/retry/backoff",
                    "models." + name + ".retry.backoff",
                    m.retry().backoff());
            checkDuration(
                    at + "/retry/max_backoff",
                    "models." + name + ".retry.max_backoff",
                    m.retry().maxBackoff());
        }
        checkPositiveDuration(at + "/deadline", "models." + name + ".deadline", m.deadline());
        checkPositiveDuration(at + "/attempt_timeout", "models." + name + ".attempt_timeout", m.attemptTimeout());
        if (m.guards() != null && m.guards().pii() != null) {
            var pii = m.guards().pii();
            String field = "models." + name + ".guards.pii";
            if (pii.action() == null
                    || !List.of("redact", "mask", "tokenize", "block").contains(pii.action())) {
                fail(at + "/guards/pii/action", field + ".action: expected redact, mask, tokenize or block");
            }
            for (String type : pii.types() == null ? List.<String>of() : pii.types()) {
                try {
                    dev.airlock.pii.PiiDetector.Type.valueOf(type.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    fail(
                            at + "/guards/pii/types",
                            field + ".types: '" + type + "' is not one of email, phone, card, iban, ssn, ip_address,"
                                    + " date_of_birth, secret, national_id, person_name, postal_address");
                }
            }
        }
        if (m.guards() != null && m.guards().injection() != null) {
            var inj = m.guards().injection();
            String field = "models." + name + ".guards.injection";
            if (inj.action() == null || !List.of("flag", "review", "block").contains(inj.action())) {
                fail(at + "/guards/injection/action", field + ".action: expected flag, review or block");
            }
            if (inj.threshold() != null && !(inj.threshold() > 0 && inj.threshold() <= 1)) {
                fail(at + "/guards/injection/threshold", field + ".threshold: expected a number in (0, 1]");
            }
            if (kind != RequestKind.CHAT) {
                fail(at + "/guards/injection", field + ": only chat models are checked for prompt injection");
            }
        }
        if (m.guards() != null && m.guards().grounding() != null) {
            var g = m.guards().grounding();
            String field = "models." + name + ".guards.grounding";
            if (g.action() == null || !List.of("flag", "review", "block").contains(g.action())) {
                fail(at + "/guards/grounding/action", field + ".action: expected flag, review or block");
            }
            if (g.threshold() != null && !(g.threshold() > 0 && g.threshold() < 1)) {
                fail(at + "/guards/grounding/threshold", field + ".threshold: expected a number in (0, 1)");
            }
            if (kind != RequestKind.CHAT) {
                fail(at + "/guards/grounding", field + ": only chat answers are checked for grounding");
            }
        }
        if (m.expectedLoadRps() != null && !(m.expectedLoadRps() > 0)) {
            fail(at + "/expected_load_rps", "models." + name + ".expected_load_rps: must be a positive number");
        }
        if (m.cache() != null) {
            String field = "models." + name + ".cache";
            if (kind != RequestKind.CHAT) {
                fail(at + "/cache", field + ": only chat models cache answers");
            }
            if (m.cache().exact() != null) {
                checkDuration(
                        at + "/cache/exact/ttl",
                        field + ".exact.ttl",
                        m.cache().exact().ttl());
                if (m.cache().exact().maxEntries() != null && m.cache().exact().maxEntries() < 1) {
                    fail(at + "/cache/exact/max_entries", field + ".exact.max_entries: must be at least 1");
                }
            }
            var semantic = m.cache().semantic();
            if (semantic != null) {
                var embedder = semantic.embeddingModel() == null
                        ? null
                        : config.models().get(semantic.embeddingModel());
                if (embedder == null || !"embedding".equals(embedder.kind())) {
                    fail(
                            at + "/cache/semantic/embedding_model",
                            field + ".semantic.embedding_model: expected the name of an embedding model declared here");
                }
                if (semantic.threshold() != null && (semantic.threshold() <= 0 || semantic.threshold() > 1)) {
                    fail(at + "/cache/semantic/threshold", field + ".semantic.threshold: expected a number in (0, 1]");
                }
                checkDuration(at + "/cache/semantic/ttl", field + ".semantic.ttl", semantic.ttl());
                if (semantic.maxEntries() != null && semantic.maxEntries() < 1) {
                    fail(at + "/cache/semantic/max_entries", field + ".semantic.max_entries: must be at least 1");
                }
            }
        }
        if (m.retention() != null) {
            checkRetention(at + "/retention", "models." + name + ".retention", m.retention());
        }
        if (m.output() != null
                && m.output().maxRepairs() != null
                && (m.output().maxRepairs() < 0 || m.output().maxRepairs() > 5)) {
            fail(
                    at + "/output/max_repairs",
                    "models." + name + ".output.max_repairs: " + m.output().maxRepairs() + " is not within 0..5");
        }
        if (m.output() != null && Boolean.TRUE.equals(m.output().validate()) && kind != RequestKind.CHAT) {
            fail(at + "/output", "models." + name + ".output: only chat answers are validated against a schema");
        }
        checkVersions(config, name, m, kind);
    }

    private void checkVersions(AirlockConfig config, String name, AirlockConfig.ModelConfig m, RequestKind kind) {
        String at = "/models/" + name;
        java.util.Set<String> known = new java.util.LinkedHashSet<>(m.versions().keySet());
        if (m.version() != null) {
            known.add(m.version());
        }
        m.versions().forEach((version, v) -> {
            String where = at + "/versions/" + version;
            String field = "models." + name + ".versions." + version;
            if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                fail(
                        where,
                        field + ": a version is letters, digits, '.', '_' or '-' (at most 64), not '" + version + "'");
            }
            if (v == null) {
                return;
            }
            if (version.equals(m.version()) && v.routed()) {
                fail(
                        where,
                        field + ": the declared version takes the model's provider or route; give its"
                                + " metadata only here");
            }
            if (v.provider() != null && v.route() != null && !v.route().isEmpty()) {
                fail(where + "/route", field + ": give either provider or route, not both");
            }
            if (v.routed()) {
                for (int i = 0; i < v.targets().size(); i++) {
                    var r = v.targets().get(i);
                    checkTarget(config, where + "/route/" + i, field + ".route[" + i + "]", r.provider(), kind);
                }
            }
            if (v.sha256() != null && !v.sha256().matches("[0-9a-f]{64}")) {
                fail(where + "/sha256", field + ".sha256: expected 64 lower-case hex digits, not '" + v.sha256() + "'");
            }
            checkArtifact(config, where, field, v);
        });
        m.aliases().forEach((alias, version) -> {
            String where = at + "/aliases/" + alias;
            String field = "models." + name + ".aliases." + alias;
            if (alias.equals("canary") || alias.equals("shadow")) {
                fail(
                        where,
                        field + ": canary and shadow start by command (airlock canary, airlock shadow), not by"
                                + " alias");
            }
            if (!alias.matches("[a-z][a-z0-9_-]{0,39}")) {
                fail(where, field + ": an alias is lower-case letters, digits, '-' or '_'");
            }
            if (version == null
                    || !(known.contains(version)
                            || (m.version() == null && m.versions().isEmpty()))) {
                fail(where, field + ": version '" + version + "' is not declared; declared: " + known);
            }
        });
    }

    /** A local artifact must exist and, when a SHA-256 is given, hash to it. */
    private void checkArtifact(AirlockConfig config, String where, String field, AirlockConfig.VersionConfig v) {
        if (v.artifact() == null || v.artifact().matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return;
        }
        Path file = config.resolve(v.artifact());
        if (!Files.isRegularFile(file)) {
            fail(where + "/artifact", field + ".artifact: no file at " + file);
        }
        if (v.sha256() != null) {
            String actual;
            try (var in = Files.newInputStream(file)) {
                var digest = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                actual = java.util.HexFormat.of().formatHex(digest.digest());
            } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
                fail(where + "/artifact", field + ".artifact: cannot read " + file + ": " + e.getMessage());
                return;
            }
            if (!actual.equals(v.sha256())) {
                fail(
                        where + "/sha256",
                        field + ".sha256: the artifact " + file + " hashes to " + actual + ", not the declared "
                                + v.sha256());
            }
        }
    }

    private void checkTarget(AirlockConfig config, String at, String field, String providerName, RequestKind kind) {
        if (providerName == null) {
            fail(
                    at,
                    field + ".provider: missing; expected one of "
                            + config.providers().keySet());
        }
        AirlockConfig.ProviderConfig provider = config.providers().get(providerName);
        if (provider == null) {
            fail(
                    at + "/provider",
                    field + ".provider: provider '" + providerName + "' is not declared; declared: "
                            + config.providers().keySet());
        }
        if (!serves(provider.kind(), kind)) {
            fail(
                    at + "/provider",
                    field + ": provider '" + providerName + "' (" + provider.kind() + ") cannot serve " + kind.id()
                            + " models");
        }
    }

    private void checkRetention(String at, String field, AirlockConfig.RetentionConfig r) {
        String content = r.content() == null ? "hash" : r.content();
        if (!content.equals("hash") && !content.equals("full") && !content.equals("redacted")) {
            fail(at + "/content", field + ".content: '" + content + "' is not one of hash, redacted, full");
        }
        checkDuration(at + "/keep_for", field + ".keep_for", r.keepFor());
        if (content.equals("hash") && r.keepFor() != null) {
            fail(at + "/keep_for", field + ".keep_for: only content 'full' or 'redacted' keeps anything to purge");
        }
    }

    static boolean serves(String providerKind, RequestKind kind) {
        return switch (providerKind) {
            case "openai" -> kind == RequestKind.CHAT || kind == RequestKind.EMBEDDING;
            case "minilm-embeddings" -> kind == RequestKind.EMBEDDING;
            case "onnx-tabular" -> kind == RequestKind.PREDICT;
            default -> false;
        };
    }

    private void checkKey(int i, AirlockConfig.KeyConfig key, Set<String> ids) {
        String at = "/keys/" + i;
        String field = "keys[" + i + "]";
        Map<String, String> required = new java.util.LinkedHashMap<>();
        required.put("id", key.id());
        required.put("tenant", key.tenant());
        required.put("role", key.role());
        required.put("secret", key.secret());
        required.forEach((k, v) -> {
            if (v == null || v.isBlank()) {
                fail(at, field + "." + k + ": missing");
            }
        });
        try {
            Role.parse(key.role());
        } catch (IllegalArgumentException e) {
            fail(at + "/role", field + ".role: " + e.getMessage());
        }
        if (key.secret().length() < 24) {
            fail(
                    at + "/secret",
                    field + ".secret: too short (" + key.secret().length() + " characters); expected at least 24");
        }
        if (!ids.add(key.id())) {
            fail(at + "/id", field + ".id: '" + key.id() + "' is declared twice");
        }
    }

    private void fail(String pointer, String message) {
        throw new ConfigException(locator.at(pointer) + ": " + message);
    }
}
