package dev.airlock.server;

import dev.airlock.decision.RequestKind;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.provider.Provider;
import dev.airlock.registry.CachePolicy;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.Retention;
import dev.airlock.registry.ServedModel;
import dev.airlock.registry.VersionInfo;
import dev.airlock.routing.BreakerPolicy;
import dev.airlock.routing.Bulkheads;
import dev.airlock.routing.Price;
import dev.airlock.routing.RoutePolicy;
import dev.airlock.routing.Target;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.Durations;
import dev.airlock.server.upstream.OpenAiHttpProvider;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The providers a configuration declares, built once and closed with the node. */
final class Providers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private final Map<String, Provider> byName;

    private Providers(Map<String, Provider> byName) {
        this.byName = byName;
    }

    static Providers build(AirlockConfig config) {
        Map<String, Provider> built = new LinkedHashMap<>();
        try {
            config.providers().forEach((name, p) -> built.put(name, create(config, name, p)));
        } catch (RuntimeException e) {
            new Providers(built).close();
            throw e;
        }
        return new Providers(built);
    }

    private static Provider create(AirlockConfig config, String name, AirlockConfig.ProviderConfig p) {
        return switch (p.kind()) {
            case "openai" ->
                new OpenAiHttpProvider(
                        name,
                        p.baseUrl(),
                        p.apiKey(),
                        p.headers(),
                        p.query(),
                        Durations.parseOr(p.timeout(), Duration.ofSeconds(60)),
                        Durations.parseOr(p.connectTimeout(), Duration.ofSeconds(5)));
            case "minilm-embeddings" -> new MiniLmEmbeddings(name);
            case "onnx-tabular" -> OnnxTabularModel.load(name, config.resolve(p.path()));
            default -> throw new IllegalArgumentException("providers." + name + ".kind: unknown kind " + p.kind());
        };
    }

    ModelCatalog catalog(AirlockConfig config) {
        var catalog = ModelCatalog.builder();
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        config.models().forEach((name, m) -> {
            String primary = m.targets().getFirst().provider();
            String fromProvider = byName.get(primary).version();
            String declared = m.version() != null
                    ? m.version()
                    : fromProvider == null || fromProvider.isBlank() ? "1" : fromProvider;
            catalog.add(
                    served(config, name, m, declared, m.targets(), m.versions().get(declared), today));
            m.versions().forEach((version, v) -> {
                if (!version.equals(declared)) {
                    var route = v != null && v.routed() ? v.targets() : m.targets();
                    catalog.addVersion(served(config, name, m, version, route, v, today));
                }
            });
        });
        return catalog.build();
    }

    private ServedModel served(
            AirlockConfig config,
            String name,
            AirlockConfig.ModelConfig m,
            String version,
            List<AirlockConfig.RouteConfig> route,
            AirlockConfig.VersionConfig v,
            LocalDate today) {
        var spec = new ModelSpec(
                name,
                RequestKind.valueOf(m.kind().toUpperCase(Locale.ROOT)),
                version,
                route.getFirst().provider(),
                route.getFirst().upstreamModel(),
                m.owner(),
                v != null && v.description() != null ? v.description() : m.description(),
                retention(m.retention()));
        List<Target> targets = new ArrayList<>();
        for (AirlockConfig.RouteConfig r : route) {
            String upstreamModel = r.upstreamModel() != null ? r.upstreamModel() : name;
            Target target = target(config, r.provider(), upstreamModel, r.weight() == null ? 0 : r.weight());
            warnAbout(name, target, today);
            targets.add(target);
        }
        return new ServedModel(spec, targets, policy(m), cache(m.cache()), info(m, v));
    }

    private static VersionInfo info(AirlockConfig.ModelConfig m, AirlockConfig.VersionConfig v) {
        String prompt = v != null && v.prompt() != null ? v.prompt() : m.prompt();
        List<String> policies = v != null && v.policies() != null ? v.policies() : m.policies();
        return v == null
                ? new VersionInfo(null, null, null, null, null, null, null, null, null, prompt, policies)
                : new VersionInfo(
                        v.artifact(),
                        v.sha256(),
                        v.framework(),
                        v.trainingData(),
                        v.metrics(),
                        v.lineage(),
                        v.tags(),
                        v.inputSchema(),
                        v.outputSchema(),
                        prompt,
                        policies);
    }

    private Target target(AirlockConfig config, String providerName, String upstreamModel, int weight) {
        AirlockConfig.ProviderConfig p = config.providers().get(providerName);
        var lifecycle = p.lifecycle().get(upstreamModel);
        return new Target(
                providerName,
                byName.get(providerName),
                upstreamModel,
                weight,
                price(p, upstreamModel),
                p.trust() != null ? p.trust() : p.kind().equals("openai") ? "external" : "on-premises",
                lifecycle == null ? null : lifecycle.deprecatedDate(),
                lifecycle == null ? null : lifecycle.retirementDate());
    }

    /** The prompts a configuration declares; the configuration was checked, so each builds. */
    static dev.airlock.registry.PromptTemplate.Catalog prompts(AirlockConfig config) {
        List<dev.airlock.registry.PromptTemplate> all = new ArrayList<>();
        config.prompts().forEach((name, p) -> p.versions().forEach((version, v) -> all.add(v.template(name, version))));
        return new dev.airlock.registry.PromptTemplate.Catalog(all);
    }

    /** The policies a configuration declares, compiled; the configuration was checked, so each compiles. */
    static dev.airlock.policy.Policies policies(AirlockConfig config) {
        List<dev.airlock.policy.Policy> all = new ArrayList<>();
        config.policies().forEach((name, p) -> p.versions().forEach((version, v) -> all.add(v.policy(name, version))));
        return dev.airlock.policy.Policies.compile(all);
    }

    /** In-process models cost nothing; an upstream costs what its price table says, or is unpriced. */
    private static Price price(AirlockConfig.ProviderConfig p, String upstreamModel) {
        if (!p.kind().equals("openai")) {
            return Price.FREE;
        }
        AirlockConfig.PriceConfig price = p.prices().get(upstreamModel);
        return price == null ? null : new Price(price.input(), price.output(), price.cachedInput());
    }

    private static void warnAbout(String model, Target target, LocalDate today) {
        if (target.price() == null) {
            LOG.warn(
                    "model {}: {} has no price (providers.{}.prices.{}); its Decisions record no cost and budgets"
                            + " cannot count it",
                    model,
                    target,
                    target.provider(),
                    target.upstreamModel());
        }
        if (target.retiredOn(today)) {
            LOG.warn("model {}: {} retired on {}; calls go to the next target", model, target, target.retiresOn());
        } else if (target.deprecatedOn(today)
                || (target.retiresOn() != null
                        && target.retiresOn().minusDays(30).isBefore(today))) {
            LOG.warn(
                    "model {}: {} is deprecated{}; move to another model before then",
                    model,
                    target,
                    target.retiresOn() == null ? "" : " and retires on " + target.retiresOn());
        }
    }

    private static CachePolicy cache(AirlockConfig.CacheConfig c) {
        if (c == null) {
            return null;
        }
        var exact = c.exact() == null
                ? null
                : new CachePolicy.Exact(
                        Durations.parseOr(c.exact().ttl(), Duration.ofMinutes(10)),
                        c.exact().maxEntries() == null ? 10_000 : c.exact().maxEntries());
        var semantic = c.semantic() == null
                ? null
                : new CachePolicy.Semantic(
                        c.semantic().embeddingModel(),
                        c.semantic().threshold() == null ? 0.95 : c.semantic().threshold(),
                        Durations.parseOr(c.semantic().ttl(), Duration.ofMinutes(10)),
                        c.semantic().maxEntries() == null ? 1_000 : c.semantic().maxEntries());
        return exact == null && semantic == null ? null : new CachePolicy(exact, semantic);
    }

    private static RoutePolicy policy(AirlockConfig.ModelConfig m) {
        var retry = m.retry();
        RoutePolicy d = RoutePolicy.DEFAULT;
        return new RoutePolicy(
                retry == null || retry.attempts() == null ? d.attempts() : retry.attempts(),
                retry == null ? d.backoff() : Durations.parseOr(retry.backoff(), d.backoff()),
                retry == null ? d.maxBackoff() : Durations.parseOr(retry.maxBackoff(), d.maxBackoff()),
                Durations.parseOr(m.deadline(), d.deadline()),
                Durations.parseOr(m.attemptTimeout(), d.attemptTimeout()));
    }

    /** The in-flight limits and queues of every provider. */
    static Map<String, Bulkheads.Limits> bulkheadLimits(AirlockConfig config) {
        Map<String, Bulkheads.Limits> limits = new LinkedHashMap<>();
        Bulkheads.Limits d = Bulkheads.Limits.DEFAULT;
        config.providers()
                .forEach((name, p) -> limits.put(
                        name,
                        new Bulkheads.Limits(
                                p.maxInFlight() == null ? d.maxInFlight() : p.maxInFlight(),
                                p.queue() == null ? d.queue() : p.queue(),
                                Durations.parseOr(p.queueTimeout(), d.queueTimeout()))));
        return limits;
    }

    /** The circuit breaker settings of every provider that declares them. */
    static Map<String, BreakerPolicy> breakerPolicies(AirlockConfig config) {
        Map<String, BreakerPolicy> policies = new LinkedHashMap<>();
        config.providers().forEach((name, p) -> {
            var b = p.breaker();
            if (b != null) {
                BreakerPolicy d = BreakerPolicy.DEFAULT;
                policies.put(
                        name,
                        new BreakerPolicy(
                                b.failureRate() == null ? d.failureRatePercent() : b.failureRate(),
                                b.window() == null ? d.window() : b.window(),
                                b.minCalls() == null ? d.minCalls() : b.minCalls(),
                                Durations.parseOr(b.openFor(), d.openFor()),
                                d.probes()));
            }
        });
        return policies;
    }

    private static Retention retention(AirlockConfig.RetentionConfig r) {
        if (r == null || r.content() == null || r.content().equals("hash")) {
            return Retention.DIGESTS_ONLY;
        }
        return new Retention(
                r.content().equals("redacted") ? Retention.Form.REDACTED : Retention.Form.FULL,
                r.keepFor() == null ? null : Durations.parse(r.keepFor()));
    }

    @Override
    public void close() {
        for (Provider provider : byName.values()) {
            if (provider instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing provider {} failed", provider.name(), e);
                }
            }
        }
    }
}
