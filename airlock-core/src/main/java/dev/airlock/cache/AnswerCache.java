package dev.airlock.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.airlock.audit.Sha256;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.EmbeddingProvider;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.registry.CachePolicy;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ServedModel;
import dev.airlock.time.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answer caches of the models that opt in: exact (Caffeine, keyed by tenant, model, messages and options) and
 * semantic (the conversation's embedding, nearest cached one by cosine similarity, within the tenant and model).
 * Counts {@code airlock.cache.requests} by model, kind and result, from which hit ratios follow.
 */
public final class AnswerCache {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerCache.class);

    /** A cached answer and how it was found. */
    public record Hit(ChatResult answer, String kind, double similarity) {}

    /** What a lookup found, and the request's embedding to store the answer under if it missed. */
    public record Lookup(Optional<Hit> hit, float @Nullable [] vector) {
        static final Lookup MISS = new Lookup(Optional.empty(), null);
    }

    private static final Duration EMBEDDING_TIMEOUT = Duration.ofSeconds(2);

    private final Supplier<ModelCatalog> catalog;
    private final MeterRegistry meters;
    private final Ticker ticker;
    private final Map<String, Cache<String, ChatResult>> exact = new ConcurrentHashMap<>();
    private final Map<String, SemanticStore> semantic = new ConcurrentHashMap<>();

    public AnswerCache(Supplier<ModelCatalog> catalog, MeterRegistry meters) {
        this(catalog, meters, Ticker.system());
    }

    /** @param ticker what times the entries' ttl (a test passes {@code FakeTime.ticker()}) */
    public AnswerCache(Supplier<ModelCatalog> catalog, MeterRegistry meters, Ticker ticker) {
        this.catalog = catalog;
        this.meters = meters;
        this.ticker = ticker;
    }

    /** The cached answer for this call, if its model caches and one matches. */
    public Lookup lookup(String tenant, ServedModel model, ChatRequest request) {
        CachePolicy policy = model.cache();
        if (policy == null || request.stream()) {
            return Lookup.MISS;
        }
        String name = model.spec().name() + "@" + model.spec().version();
        if (policy.exact() != null) {
            ChatResult found = exactCache(name, policy.exact()).getIfPresent(exactKey(tenant, request));
            count(model.spec().name(), "exact", found != null);
            if (found != null) {
                return new Lookup(Optional.of(new Hit(found, "exact", 1.0)), null);
            }
        }
        if (policy.semantic() != null) {
            float[] vector = embed(policy.semantic(), request);
            if (vector != null) {
                Optional<Hit> near = semanticStore(name, policy.semantic()).nearest(tenant, vector);
                count(model.spec().name(), "semantic", near.isPresent());
                return new Lookup(near, vector);
            }
        }
        return Lookup.MISS;
    }

    /** Keeps an answer for the next identical or similar call; {@code missed} is what the lookup found. */
    public void store(
            String tenant, ServedModel model, ChatRequest request, ChatResult answer, @Nullable Lookup missed) {
        CachePolicy policy = model.cache();
        if (policy == null || request.stream()) {
            return;
        }
        String name = model.spec().name() + "@" + model.spec().version();
        if (policy.exact() != null) {
            exactCache(name, policy.exact()).put(exactKey(tenant, request), answer);
        }
        if (policy.semantic() != null && missed != null && missed.vector() != null) {
            semanticStore(name, policy.semantic()).add(tenant, missed.vector(), answer);
        }
    }

    private Cache<String, ChatResult> exactCache(String model, CachePolicy.Exact policy) {
        return exact.computeIfAbsent(
                model,
                m -> Caffeine.newBuilder()
                        .maximumSize(policy.maxEntries())
                        .expireAfterWrite(policy.ttl())
                        .ticker(ticker::read)
                        .build());
    }

    private SemanticStore semanticStore(String model, CachePolicy.Semantic policy) {
        return semantic.computeIfAbsent(model, m -> new SemanticStore(policy, ticker));
    }

    /** Tenant, then a digest of the conversation and every option (temperature, tools, ...), sorted. */
    static String exactKey(String tenant, ChatRequest request) {
        StringBuilder canonical = new StringBuilder(tenant).append('\u0000');
        for (ChatMessage m : request.messages()) {
            // every field counts (images, tool calls, names), with the text as guards left it
            canonical.append(m.role()).append('\u0000').append(m.text()).append('\u0000');
            canonical.append(new TreeMap<>(m.fields())).append('\u0000');
        }
        new TreeMap<>(request.options()).forEach((k, v) -> {
            if (!k.equals("stream") && !k.equals("stream_options") && !k.equals("user")) {
                canonical.append(k).append('=').append(v).append('\u0000');
            }
        });
        return tenant + ":" + Sha256.hex(canonical.toString());
    }

    private float @Nullable [] embed(CachePolicy.Semantic policy, ChatRequest request) {
        var embedder = catalog.get().find(policy.embeddingModel());
        if (embedder.isEmpty() || !(embedder.get().provider() instanceof EmbeddingProvider provider)) {
            LOG.warn("semantic cache: embedding model '{}' is not served here", policy.embeddingModel());
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (ChatMessage m : request.messages()) {
            text.append(m.role()).append(": ").append(m.text()).append('\n');
        }
        try {
            var result = provider.embed(
                    embedder.get().targets().getFirst().upstreamModel(),
                    new EmbeddingRequest(policy.embeddingModel(), List.of(text.toString()), Map.of()),
                    EMBEDDING_TIMEOUT);
            return normalised(result.vectors().getFirst());
        } catch (RuntimeException e) {
            LOG.debug("semantic cache: could not embed the request", e);
            return null;
        }
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = norm == 0 ? 0 : (float) (v[i] / norm);
        }
        return out;
    }

    private void count(String model, String kind, boolean hit) {
        if (meters != null) {
            Counter.builder("airlock.cache.requests")
                    .description("Answer cache lookups by model, kind and result")
                    .tag("model", model)
                    .tag("kind", kind)
                    .tag("result", hit ? "hit" : "miss")
                    .register(meters)
                    .increment();
        }
    }

    /** The most recent entries of one model, scanned for the nearest vector of the caller's tenant. */
    private static final class SemanticStore {
        /** @param expires the ticker's reading from which the entry is gone */
        private record Entry(String tenant, float[] vector, ChatResult answer, long expires) {}

        private final CachePolicy.Semantic policy;
        private final Ticker ticker;
        private final Deque<Entry> entries = new ArrayDeque<>();

        SemanticStore(CachePolicy.Semantic policy, Ticker ticker) {
            this.policy = policy;
            this.ticker = ticker;
        }

        synchronized void add(String tenant, float[] vector, ChatResult answer) {
            entries.addFirst(new Entry(
                    tenant, vector, answer, ticker.read() + policy.ttl().toNanos()));
            while (entries.size() > policy.maxEntries()) {
                entries.removeLast();
            }
        }

        synchronized Optional<Hit> nearest(String tenant, float[] vector) {
            long now = ticker.read();
            entries.removeIf(e -> now - e.expires() >= 0);
            Entry best = null;
            double bestScore = -1;
            for (Entry e : entries) {
                if (!e.tenant().equals(tenant)) {
                    continue;
                }
                double score = 0;
                for (int i = 0; i < vector.length; i++) {
                    score += vector[i] * e.vector()[i];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = e;
                }
            }
            return best != null && bestScore >= policy.threshold()
                    ? Optional.of(new Hit(best.answer(), "semantic", bestScore))
                    : Optional.empty();
        }
    }
}
