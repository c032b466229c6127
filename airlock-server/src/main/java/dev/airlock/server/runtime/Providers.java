package dev.airlock.server.runtime;

import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.provider.Provider;
import dev.airlock.provider.TabularModel;
import dev.airlock.registry.CachePolicy;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.ServedModel;
import dev.airlock.registry.VersionInfo;
import dev.airlock.routing.BreakerPolicy;
import dev.airlock.routing.Bulkheads;
import dev.airlock.routing.Price;
import dev.airlock.routing.RoutePolicy;
import dev.airlock.routing.Target;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.config.ProviderConfig;
import dev.airlock.server.upstream.NativeChatProvider;
import dev.airlock.server.upstream.OpenAiHttpProvider;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
        return build(config, Set.of());
    }

    /** The same, with the in-process models named in {@code failing} made to fail every call (a drill's fault). */
    static Providers build(AirlockConfig config, Set<String> failing) {
        Map<String, Provider> built = new LinkedHashMap<>();
        try {
            config.providers().forEach((name, p) -> {
                Provider provider = create(config, name, p);
                built.put(name, failing.contains(name) ? fault(provider) : provider);
            });
        } catch (RuntimeException e) {
            new Providers(built).close();
            throw e;
        }
        return new Providers(built);
    }

    private static Provider fault(Provider provider) {
        if (provider instanceof TabularModel model) {
            return new DrillFault(model);
        }
        throw new IllegalArgumentException("a drill can make only in-process tabular models fail; '" + provider.name()
                + "' is not one (an HTTP upstream is made to fail by a local server that answers 503)");
    }

    private static Provider create(AirlockConfig config, String name, ProviderConfig p) {
        return switch (p) {
            case ProviderConfig.OpenAiProvider o ->
                new OpenAiHttpProvider(
                        name, o.baseUrl(), o.apiKey(), o.headers(), o.query(), o.timeout(), o.connectTimeout());
            case ProviderConfig.AnthropicProvider a ->
                NativeChatProvider.anthropic(
                        name,
                        a.baseUrl(),
                        a.apiKey(),
                        a.anthropicVersion(),
                        a.maxTokens(),
                        a.headers(),
                        a.timeout(),
                        a.connectTimeout());
            case ProviderConfig.GeminiProvider g ->
                NativeChatProvider.gemini(name, g.baseUrl(), g.apiKey(), g.headers(), g.timeout(), g.connectTimeout());
            case ProviderConfig.BedrockProvider b -> AwsCredentials.bedrock(name, b, System.getenv());
            case ProviderConfig.MiniLmProvider m -> new MiniLmEmbeddings(name);
            case ProviderConfig.OnnxTabularProvider o -> OnnxTabularModel.load(name, config.resolve(o.path()));
        };
    }

    ModelCatalog catalog(AirlockConfig config) {
        var catalog = ModelCatalog.builder();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        config.models().forEach((name, m) -> {
            String primary = m.targets().getFirst().provider();
            String fromProvider = provider(primary).version();
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
            ModelConfig m,
            String version,
            List<ModelConfig.RouteConfig> route,
            ModelConfig.@Nullable VersionConfig v,
            LocalDate today) {
        var spec = new ModelSpec(
                name,
                m.kind(),
                version,
                route.getFirst().provider(),
                route.getFirst().upstreamModel(),
                m.owner(),
                v != null && v.description() != null ? v.description() : m.description(),
                m.retentionPolicy());
        List<Target> targets = new ArrayList<>();
        for (ModelConfig.RouteConfig r : route) {
            String upstreamModel = r.upstreamModel() != null ? r.upstreamModel() : name;
            Target target = target(config, r.provider(), upstreamModel, r.weight());
            warnAbout(name, target, today);
            targets.add(target);
        }
        return new ServedModel(spec, targets, policy(m), cache(m.cache()), info(m, v));
    }

    private static VersionInfo info(ModelConfig m, ModelConfig.@Nullable VersionConfig v) {
        String prompt = v != null && v.prompt() != null ? v.prompt() : m.prompt();
        List<String> policies = v != null && v.policies() != null ? v.policies() : m.policies();
        return v == null
                ? new VersionInfo(null, null, null, null, Map.of(), null, List.of(), null, null, prompt, policies)
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
        ProviderConfig p = Objects.requireNonNull(
                config.providers().get(providerName), "the configuration was checked: targets name declared providers");
        var lifecycle = p.lifecycle().get(upstreamModel);
        return new Target(
                providerName,
                provider(providerName),
                upstreamModel,
                weight,
                price(p, upstreamModel),
                p.trust().id(),
                lifecycle == null ? null : lifecycle.deprecatedOn(),
                lifecycle == null ? null : lifecycle.retiresOn());
    }

    /** In-process models cost nothing; an upstream costs what its price table says, or is unpriced. */
    private static @Nullable Price price(ProviderConfig p, String upstreamModel) {
        if (p instanceof ProviderConfig.MiniLmProvider || p instanceof ProviderConfig.OnnxTabularProvider) {
            return Price.FREE;
        }
        ProviderConfig.PriceConfig price = p.prices().get(upstreamModel);
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

    private static @Nullable CachePolicy cache(ModelConfig.@Nullable CacheConfig c) {
        if (c == null) {
            return null;
        }
        var e = c.exact();
        var exact = e != null ? new CachePolicy.Exact(e.ttl(), e.maxEntries()) : null;
        var s = c.semantic();
        var semantic =
                s != null ? new CachePolicy.Semantic(s.embeddingModel(), s.threshold(), s.ttl(), s.maxEntries()) : null;
        return exact == null && semantic == null ? null : new CachePolicy(exact, semantic);
    }

    private static RoutePolicy policy(ModelConfig m) {
        var retry = m.retry();
        return new RoutePolicy(retry.attempts(), retry.backoff(), retry.maxBackoff(), m.deadline(), m.attemptTimeout());
    }

    /** The in-flight limits and queues of every provider. */
    static Map<String, Bulkheads.Limits> bulkheadLimits(AirlockConfig config) {
        Map<String, Bulkheads.Limits> limits = new LinkedHashMap<>();
        config.providers()
                .forEach((name, p) ->
                        limits.put(name, new Bulkheads.Limits(p.maxInFlight(), p.queue(), p.queueTimeout())));
        return limits;
    }

    /** The circuit breaker settings of every provider that declares them. */
    static Map<String, BreakerPolicy> breakerPolicies(AirlockConfig config) {
        Map<String, BreakerPolicy> policies = new LinkedHashMap<>();
        config.providers().forEach((name, p) -> {
            var b = p.breaker();
            policies.put(
                    name,
                    new BreakerPolicy(
                            b.failureRate(), b.window(), b.minCalls(), b.openFor(), BreakerPolicy.DEFAULT.probes()));
        });
        return policies;
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

    /** The provider a target names: the configuration was checked, so every target names a declared provider. */
    private Provider provider(String name) {
        return Objects.requireNonNull(
                byName.get(name), "the configuration was checked: targets name declared providers");
    }
}
