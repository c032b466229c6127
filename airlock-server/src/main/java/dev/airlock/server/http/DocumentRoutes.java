package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.Sha256;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.guard.InjectionHeuristics;
import dev.airlock.models.InjectionClassifier;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.retrieval.Document;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.retrieval.Retrieval;
import dev.airlock.retrieval.Trust;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
    // higher than the guard's default: a quarantined document is lost to retrieval until someone releases it
    private static final double QUARANTINE_SCORE = 0.8;
    private static final int MAX_TEXT = 20_000;

    private final Pipeline pipeline;
    private final DocumentStore store;
    private final AuditChain audit;
    private final Clock clock;
    private final ObjectMapper json;
    private volatile MiniLmEmbeddings embeddings;
    private volatile InjectionClassifier classifier;

    DocumentRoutes(Pipeline pipeline, DocumentStore store, AuditChain audit, Clock clock, ObjectMapper json) {
        this.audit = audit;
        this.pipeline = pipeline;
        this.store = store;
        this.clock = clock;
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
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")) {
            throw Stop.invalid("documents", "name", "a source name is letters, digits and . _ : / - (at most 128)")
                    .toException();
        }
        Trust trust;
        try {
            trust = Trust.parse(text(body(ctx), "trust"));
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("documents", "trust", e.getMessage()).toException();
        }
        store.setSourceTrust(who.tenant(), name, trust);
        new AuditTrail(audit, clock)
                .record(
                        AdminAction.SOURCE_TRUST_SET,
                        who.tenant(),
                        "key:" + who.keyId(),
                        name,
                        Map.of("trust", trust.id()));
        Responses.ok(ctx, json.createObjectNode().put("name", name).put("trust", trust.id()));
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
        if (text.length() > MAX_TEXT) {
            throw Stop.invalid("documents", "text", "a document is at most " + MAX_TEXT + " characters; split it")
                    .toException();
        }
        Trust trust = store.sources(who.tenant()).get(source);
        if (trust == null) {
            throw Stop.invalid(
                            "documents",
                            "source",
                            "source '" + source + "' has no trust set; an operator sets it with PUT /v1/sources/"
                                    + source)
                    .toException();
        }
        if (trust == Trust.BLOCKED) {
            throw new Stop(
                            "documents",
                            403,
                            "invalid_request_error",
                            "source_blocked",
                            "Source '" + source + "' is blocked; its documents are refused.",
                            "source")
                    .toException();
        }
        float[] vector = embed(text, "text");
        double score = Math.max(InjectionHeuristics.score(text), classifier().probability(vector));
        String quarantine = score >= QUARANTINE_SCORE
                ? String.format(Locale.ROOT, "looks like a prompt injection (score %.2f)", score)
                : null;
        var now = clock.instant();
        var document = new Document(
                "doc_" + DecisionIds.next(now.toEpochMilli()),
                who.tenant(),
                source,
                Sha256.hex(text),
                text,
                vector,
                score,
                quarantine,
                now);
        store.insertDocument(document);
        Map<String, String> details = new TreeMap<>();
        details.put("source", source);
        details.put("sha256", document.sha256());
        if (quarantine != null) {
            details.put("quarantine", quarantine);
        }
        new AuditTrail(audit, clock)
                .record(AdminAction.DOCUMENT_INGESTED, who.tenant(), "key:" + who.keyId(), document.id(), details);
        Responses.ok(ctx, summary(document, trust));
    }

    private void release(Context ctx) {
        Principal who = require(ctx, Role.Permission.MANAGE_SOURCES, "release quarantined documents");
        String id = ctx.pathParam("id");
        Document d = store.findDocument(id)
                .filter(x -> x.tenant().equals(who.tenant()))
                .orElseThrow(() -> new Stop(
                                "documents",
                                404,
                                "invalid_request_error",
                                "document_not_found",
                                "There is no document '" + id + "'.",
                                "id")
                        .toException());
        store.quarantineDocument(id, null);
        new AuditTrail(audit, clock)
                .record(
                        AdminAction.DOCUMENT_RELEASED,
                        who.tenant(),
                        "key:" + who.keyId(),
                        id,
                        Map.of("was", String.valueOf(d.quarantine())));
        Responses.ok(
                ctx,
                summary(
                        store.findDocument(id).orElseThrow(),
                        store.sources(who.tenant()).get(d.source())));
    }

    private void retrieve(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline, ctx, p -> p.role().may(Role.Permission.CALL_MODELS), "retrieve documents", "an app key");
        JsonNode body = body(ctx);
        String query = text(body, "query");
        int k = Fields.wholeNumber(body, "k", 5, 1, 50, "documents");
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Retrieval.Hit hit : Retrieval.nearest(store, who.tenant(), embed(query, "query"), k)) {
            data.addObject()
                    .put("id", hit.document().id())
                    .put("source", hit.document().source())
                    .put("score", hit.score())
                    .put("text", hit.document().text());
        }
        Responses.ok(ctx, root);
    }

    private ObjectNode summary(Document d, Trust trust) {
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

    private float[] embed(String text, String field) {
        try {
            return embeddings()
                    .embed(
                            MiniLmEmbeddings.MODEL,
                            new EmbeddingRequest(MiniLmEmbeddings.MODEL, List.of(text), Map.of()))
                    .vectors()
                    .getFirst();
        } catch (IllegalArgumentException e) {
            // e.g. text of nothing but characters the tokenizer drops
            throw Stop.invalid("documents", field, "'" + field + "' has no text to embed: " + e.getMessage())
                    .toException();
        }
    }

    /** The in-process embedding model, loaded on first use: a node that never sees a document never loads it. */
    private MiniLmEmbeddings embeddings() {
        if (embeddings == null) {
            synchronized (this) {
                if (embeddings == null) {
                    embeddings = new MiniLmEmbeddings("documents");
                }
            }
        }
        return embeddings;
    }

    private InjectionClassifier classifier() {
        if (classifier == null) {
            classifier = InjectionClassifier.bundled();
        }
        return classifier;
    }

    private Principal require(Context ctx, Role.Permission permission, String what) {
        return AdminRequests.require(
                pipeline, ctx, who -> who.role().may(permission), what, "an operator or admin key");
    }

    private JsonNode body(Context ctx) {
        return AdminRequests.object(json, ctx, "documents");
    }

    private static String text(JsonNode body, String field) {
        return AdminRequests.text(body, field, true, "documents");
    }
}
