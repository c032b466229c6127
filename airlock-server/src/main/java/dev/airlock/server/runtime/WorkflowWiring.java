package dev.airlock.server.runtime;

import dev.airlock.audit.AdminEvents;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.policy.Policies;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.retrieval.Retrieval;
import dev.airlock.server.config.WorkflowDeclarations;
import dev.airlock.server.config.WorkflowsConfig;
import dev.airlock.store.Store;
import dev.airlock.time.Time;
import dev.airlock.workflow.PassageSearch;
import dev.airlock.workflow.ToolTransport;
import dev.airlock.workflow.Workflow;
import dev.airlock.workflow.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's workflows: the declared flows, their tools' HTTP transport, the one place retrieval is wired for them, and
 * the jobs that take over abandoned runs (at start, then every half lease) and prune ended runs past
 * {@code workflows.keep_for} (hourly).
 */
final class WorkflowWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowWiring.class);

    private final Workflows workflows;
    private final ScheduledExecutorService jobs;

    private WorkflowWiring(Workflows workflows, ScheduledExecutorService jobs) {
        this.workflows = workflows;
        this.jobs = jobs;
    }

    static WorkflowWiring start(
            WorkflowsConfig config,
            Store store,
            Pipeline pipeline,
            Policies policies,
            AdminEvents audit,
            Time time,
            String node) {
        Map<String, Workflow> declared = WorkflowDeclarations.of(config);
        var workflows = new Workflows(
                declared,
                store.runStore(),
                pipeline,
                policies,
                new HttpTools(),
                passages(store.documentStore()),
                audit,
                time,
                node,
                config.lease());
        ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("airlock-workflows").factory());
        long every = Math.max(500, config.lease().toMillis() / 2);
        jobs.scheduleWithFixedDelay(() -> safely(workflows::resumeAbandoned), 0, every, TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(
                () -> safely(() -> workflows.prune(time.clock().instant().minus(config.keepFor()))),
                0,
                1,
                TimeUnit.HOURS);
        return new WorkflowWiring(workflows, jobs);
    }

    /**
     * Retrieval for workflows: today's nearest-neighbour scan over the tenant's servable documents, a collection being
     * a document source. The only line to change when retrieval moves to indexed collections.
     */
    static PassageSearch passages(DocumentStore documents) {
        var embedder = new LazyEmbedder();
        return (tenant, collection, query, k) ->
                Retrieval.nearest(documents, tenant, embedder.embed(query), 1000).stream()
                        .filter(hit -> hit.document().source().equals(collection))
                        .limit(k)
                        .map(hit -> new PassageSearch.Passage(
                                hit.document().id(),
                                hit.document().source(),
                                hit.document().text(),
                                hit.score()))
                        .toList();
    }

    Workflows workflows() {
        return workflows;
    }

    @Override
    public void close() {
        jobs.shutdownNow();
        workflows.close();
    }

    private static void safely(Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.warn("workflow job failed: {}", e.getMessage(), e);
        }
    }

    /** The in-process embedding model, loaded on first retrieval. */
    private static final class LazyEmbedder {
        private volatile @Nullable MiniLmEmbeddings model;

        float[] embed(String text) {
            MiniLmEmbeddings loaded = model;
            if (loaded == null) {
                synchronized (this) {
                    loaded = model;
                    if (loaded == null) {
                        loaded = new MiniLmEmbeddings("workflows");
                        model = loaded;
                    }
                }
            }
            return loaded.embed(
                            MiniLmEmbeddings.MODEL,
                            new EmbeddingRequest(MiniLmEmbeddings.MODEL, List.of(text), Map.of()))
                    .vectors()
                    .getFirst();
        }
    }

    /** Tools' HTTP calls. */
    private static final class HttpTools implements ToolTransport {
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        @Override
        public Reply send(
                String method, URI url, Map<String, String> headers, @Nullable String body, Duration timeout) {
            var request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .method(
                            method.toUpperCase(java.util.Locale.ROOT),
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Reply(response.statusCode(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted", e));
            }
        }
    }
}
