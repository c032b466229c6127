package dev.airlock.server;

import dev.airlock.decision.RequestKind;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.provider.Provider;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.Retention;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.Durations;
import dev.airlock.server.upstream.OpenAiHttpProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
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
        config.models().forEach((name, m) -> {
            var spec = new ModelSpec(
                    name,
                    RequestKind.valueOf(m.kind().toUpperCase(Locale.ROOT)),
                    m.version() != null ? m.version() : byName.get(m.provider()).version(),
                    m.provider(),
                    m.upstreamModel(),
                    m.owner(),
                    m.description(),
                    retention(m.retention()));
            catalog.add(spec, byName.get(m.provider()));
        });
        return catalog.build();
    }

    private static Retention retention(AirlockConfig.RetentionConfig r) {
        if (r == null || r.content() == null || r.content().equals("hash")) {
            return Retention.DIGESTS_ONLY;
        }
        return new Retention(Retention.Form.FULL, r.keepFor() == null ? null : Durations.parse(r.keepFor()));
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
