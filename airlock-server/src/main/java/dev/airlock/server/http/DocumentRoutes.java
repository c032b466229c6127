package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditTrail;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.models.InjectionClassifier;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.retrieval.Document;
import dev.airlock.retrieval.DocumentDesk;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.retrieval.Retrieval;
import dev.airlock.retrieval.Trust;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Documents with their source, for retrieval, and the controls against data poisoning: every document names its
 * source; a source is trusted, quarantined or blocked (per tenant, by operators, audited); a document that looks like
 * a prompt injection is quarantined on arrival; retrieval serves only documents of trusted sources that are not
 * quarantined.
 *
 * <ul>
 *   <li>{@code GET /v1/sources}, {@code PUT /v1/sources/{name} {"trust"}}
 *   <li>{@code POST /v1/documents {"source", "text"}}, {@code POST /v1/documents/{id}/release}
 *   <li>{@code POST /v1/retrieve {"query", "k"}}
 * </ul>
 */
final class DocumentRoutes {
    private final Pipeline pipeline;
    private final DocumentStore store;
    private final DocumentDesk desk;
    private final LazyModels models = new LazyModels();
    private final ObjectMapper json;

    DocumentRoutes(Pipeline pipeline, DocumentStore store, AuditChain audit, Clock clock, ObjectMapper json) {
        this.pipeline = pipeline;
        this.store = store;
        this.desk = new DocumentDesk(store, new AuditTrail(audit, clock), clock, models);
        this.json = json;
    }

    void register(Javalin app) {
        app.get("/v1/sources", this::sources);
        app.put("/v1/sources/{name}", this::setTrust);
        app.post("/v1/documents", this::ingest);
        app.post("/v1/documents/{id}/release", this::release);
        app.post("/v1/retrieve", this::retrieve);
    }

    private void sources(Context ctx) {
        Principal who = Readers.require(pipeline, ctx, "document sources");
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        store.sources(who.tenant())
                .forEach((name, trust) -> data.addObject().put("name", name).put("trust", trust.id()));
        Responses.ok(ctx, root);
    }

    private void setTrust(Context ctx) {
        Principal who = require(ctx, Role.Permission.MANAGE_SOURCES, "set how far sources are trusted");
        String name = ctx.pathParam("name");
        Trust trust;
        try {
            trust = Trust.parse(text(body(ctx), "trust"));
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("documents", "trust", String.valueOf(e.getMessage()))
                    .toException();
        }
        render(ctx, desk.setTrust(who.tenant(), actor(who), name, trust));
    }

    private void ingest(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline,
                ctx,
                p -> p.role().may(Role.Permission.CALL_MODELS) || p.role().may(Role.Permission.MANAGE_SOURCES),
                "add documents",
                "an app, operator or admin key");
        JsonNode body = body(ctx);
        String source = text(body, "source");
        String text = text(body, "text");
        render(ctx, desk.ingest(who.tenant(), actor(who), source, text));
    }

    private void release(Context ctx) {
        Principal who = require(ctx, Role.Permission.MANAGE_SOURCES, "release quarantined documents");
        render(ctx, desk.release(who.tenant(), actor(who), ctx.pathParam("id")));
    }

    private void render(Context ctx, DocumentDesk.Result result) {
        switch (result) {
            case DocumentDesk.Result.TrustSet set ->
                Responses.ok(
                        ctx,
                        json.createObjectNode()
                                .put("name", set.source())
                                .put("trust", set.trust().id()));
            case DocumentDesk.Result.Stored stored -> Responses.ok(ctx, summary(stored.document(), stored.trust()));
            case DocumentDesk.Result.Invalid invalid ->
                throw Stop.invalid("documents", invalid.field(), invalid.reason())
                        .toException();
            case DocumentDesk.Result.UnknownSource unknown ->
                throw Stop.invalid(
                                "documents",
                                "source",
                                "source '" + unknown.source()
                                        + "' has no trust set; an operator sets it with PUT /v1/sources/"
                                        + unknown.source())
                        .toException();
            case DocumentDesk.Result.Blocked blocked ->
                throw new Stop(
                                "documents",
                                403,
                                "invalid_request_error",
                                "source_blocked",
                                "Source '" + blocked.source() + "' is blocked; its documents are refused.",
                                "source")
                        .toException();
            case DocumentDesk.Result.NotFound missing ->
                throw new Stop(
                                "documents",
                                404,
                                "invalid_request_error",
                                "document_not_found",
                                "There is no document '" + Stop.echo(missing.id()) + "'.",
                                "id")
                        .toException();
        }
    }

    private void retrieve(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline, ctx, p -> p.role().may(Role.Permission.CALL_MODELS), "retrieve documents", "an app key");
        JsonNode body = body(ctx);
        String query = text(body, "query");
        int k = Fields.wholeNumber(body, "k", 5, 1, 50, "documents");
        float[] vector;
        try {
            vector = models.embed(query);
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("documents", "query", "'query' has no text to embed: " + e.getMessage())
                    .toException();
        }
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Retrieval.Hit hit : Retrieval.nearest(store, who.tenant(), vector, k)) {
            data.addObject()
                    .put("id", hit.document().id())
                    .put("source", hit.document().source())
                    .put("score", hit.score())
                    .put("text", hit.document().text());
        }
        Responses.ok(ctx, root);
    }

    private ObjectNode summary(Document d, @Nullable Trust trust) {
        return json.createObjectNode()
                .put("object", "document")
                .put("id", d.id())
                .put("source", d.source())
                .put("source_trust", trust == null ? null : trust.id())
                .put("sha256", d.sha256())
                .put("injection_score", d.injectionScore())
                .put("quarantine", d.quarantine())
                .put("served", trust == Trust.TRUSTED && d.quarantine() == null);
    }

    private static String actor(Principal who) {
        return "key:" + who.keyId();
    }

    /**
     * The in-process embedding model and injection classifier, loaded on first use: a node that never sees a document
     * never loads them.
     */
    private static final class LazyModels implements DocumentDesk.Models {
        private volatile @Nullable MiniLmEmbeddings embeddings;
        private volatile @Nullable InjectionClassifier classifier;

        @Override
        public float[] embed(String text) {
            return embeddings()
                    .embed(
                            MiniLmEmbeddings.MODEL,
                            new EmbeddingRequest(MiniLmEmbeddings.MODEL, List.of(text), Map.of()))
                    .vectors()
                    .getFirst();
        }

        @Override
        public double injectionProbability(float[] vector) {
            InjectionClassifier loaded = classifier;
            if (loaded == null) {
                loaded = InjectionClassifier.bundled();
                classifier = loaded;
            }
            return loaded.probability(vector);
        }

        private MiniLmEmbeddings embeddings() {
            MiniLmEmbeddings loaded = embeddings;
            if (loaded == null) {
                synchronized (this) {
                    loaded = embeddings;
                    if (loaded == null) {
                        loaded = new MiniLmEmbeddings("documents");
                        embeddings = loaded;
                    }
                }
            }
            return loaded;
        }
    }

    private Principal require(Context ctx, Role.Permission permission, String what) {
        return AdminRequests.require(
                pipeline, ctx, who -> who.role().may(permission), what, "an operator or admin key");
    }

    private JsonNode body(Context ctx) {
        return AdminRequests.object(json, ctx, "documents");
    }

    private static String text(JsonNode body, String field) {
        return AdminRequests.required(body, field, "documents");
    }
}
