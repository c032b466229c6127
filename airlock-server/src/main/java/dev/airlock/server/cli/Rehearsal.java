package dev.airlock.server.cli;

import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.config.ProviderConfig;
import dev.airlock.server.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration rehearsed on 127.0.0.1 for load tests and drills: HTTP upstreams replaced by local ones, a scratch
 * store and signing key, no bootstrap keys, budgets or rate limits (what is measured is routing and capacity).
 */
final class Rehearsal {
    private Rehearsal() {}

    /** The configuration with these providers and models, a scratch store under {@code dir}, on a free port. */
    static AirlockConfig of(
            AirlockConfig c, Map<String, ProviderConfig> providers, Map<String, ModelConfig> models, Path dir) {
        return c.toBuilder()
                .server(new AirlockConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), null))
                .store(new AirlockConfig.Store("jdbc:sqlite:" + dir.resolve("rehearsal.db"), null, null))
                .bootstrap(new AirlockConfig.Bootstrap("rehearsal-admin"))
                .providers(providers)
                .models(models)
                .keys(List.of())
                .audit(AirlockConfig.Audit.DEFAULTS.withSigningKey(
                        dir.resolve("signing.key").toString()))
                .budgets(List.of())
                .rateLimits(AirlockConfig.RateLimitsConfig.NONE)
                .build();
    }

    /** An HTTP provider pointed at {@code url}, without its credentials, headers or query; others as they are. */
    static ProviderConfig withBaseUrl(ProviderConfig p, String url) {
        return p instanceof ProviderConfig.OpenAiProvider openAi ? openAi.withBaseUrl(url) : p;
    }

    /** The model without its answer caches (identical rehearsal calls would only measure the cache). */
    static ModelConfig withoutCache(ModelConfig m) {
        return m.withoutCache();
    }

    /** A request to rehearse calls with: the model's example, or a plain one for its kind. */
    record Request(String path, String body) {}

    static Request request(String model, ModelConfig m) throws Exception {
        return request(model, model, m);
    }

    /** The same, calling {@code target}: the model, or {@code model@version} to pin one. */
    static Request request(String model, String target, ModelConfig m) throws Exception {
        var mapper = Json.mapper();
        Map<String, Object> example = m.example();
        return switch (m.kind()) {
            case PREDICT -> {
                if (example == null) {
                    throw new ConfigException(
                            "models." + model + ".example is needed to rehearse calls of a predict model");
                }
                yield new Request("/v1/models/" + target + "/predict", mapper.writeValueAsString(example));
            }
            case EMBEDDING ->
                new Request(
                        "/v1/embeddings",
                        mapper.writeValueAsString(withModel(
                                example != null ? example : Map.of("input", "a rehearsal sentence"), target)));
            default -> {
                Map<String, Object> body = new LinkedHashMap<>(
                        example != null
                                ? example
                                : Map.of("messages", List.of(Map.of("role", "user", "content", "rehearsal"))));
                body.put("model", target);
                body.put("stream", false);
                yield new Request("/v1/chat/completions", mapper.writeValueAsString(body));
            }
        };
    }

    private static Map<String, Object> withModel(Map<String, Object> body, String target) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put("model", target);
        return copy;
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a scratch folder under the temp directory
        }
    }
}
