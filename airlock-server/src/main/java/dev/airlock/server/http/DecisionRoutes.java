package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.ChainLink;
import dev.airlock.audit.ConsistencyProof;
import dev.airlock.audit.InclusionProof;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.server.json.ConsistencyJson;
import dev.airlock.server.json.DecisionJson;
import dev.airlock.server.json.EventJson;
import dev.airlock.server.json.Json;
import dev.airlock.server.json.JsonLines;
import dev.airlock.server.json.ProofJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading recorded Decisions: one by id, a search, or a JSON Lines export streamed in constant memory. Keys whose
 * role may read decisions (auditor, operator, admin) see their own tenant's; another tenant's Decision answers 404,
 * as if it did not exist.
 */
final class DecisionRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionRoutes.class);
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;
    private static final Set<String> OUTCOMES = Set.of("answered", "refused", "failed");

    private final Pipeline pipeline;
    private final DecisionLog decisions;
    private final AuditChain log;
    private final ObjectMapper json;
    private final DecisionJson render;
    private final Supplier<Map<String, PublicKey>> trustedKeys;

    /**
     * @param trustedKeys the keys of the signing key file (and its retired siblings): proofs are given only against
     *     checkpoints they signed, never on the word of a key the database publishes
     */
    DecisionRoutes(
            Pipeline pipeline,
            DecisionLog decisions,
            AuditChain log,
            ObjectMapper json,
            Supplier<Map<String, PublicKey>> trustedKeys) {
        this.trustedKeys = trustedKeys;
        this.pipeline = pipeline;
        this.decisions = decisions;
        this.log = log;
        this.json = json;
        this.render = new DecisionJson(json);
    }

    void register(Javalin app) {
        app.get("/v1/decisions", this::search);
        app.get("/v1/decisions/{id}", this::get);
        app.get("/v1/audit/events", this::events);
        app.get("/v1/audit/consistency", this::consistency);
    }

    /**
     * {@code ?from=N[&to=M]}: the proof that the log of the checkpoint of {@code N} records is the start of the log of
     * the checkpoint of {@code M} records (the latest when absent). Checkpoints cover every tenant's records; the proof
     * holds hashes only.
     */
    private void consistency(Context ctx) {
        reader(ctx);
        long from = size(ctx, "from");
        Long to = ctx.queryParam("to") == null ? null : size(ctx, "to");
        ConsistencyProof proof;
        try {
            proof = ConsistencyProof.of(log, from, to, trustedKeys.get());
        } catch (ConsistencyProof.NoCheckpoint e) {
            throw Stop.invalid("read", e.size() == from ? "from" : "to", String.valueOf(e.getMessage()))
                    .toException();
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("read", "from", String.valueOf(e.getMessage())).toException();
        } catch (IllegalStateException | NoSuchElementException e) {
            throw new Stop(
                            "read",
                            409,
                            "invalid_request_error",
                            "audit_log_inconsistent",
                            "The stored audit log cannot give this proof (" + e.getMessage()
                                    + "); run airlock audit verify.",
                            null)
                    .toException();
        }
        Responses.ok(ctx, ConsistencyJson.render(json, proof));
    }

    /** The tree size of a signed checkpoint: a whole number, 1 or more. */
    private static long size(Context ctx, String name) {
        if (ctx.queryParam(name) == null) {
            throw Stop.invalid("read", name, "'" + name + "' is required: the tree size of a signed checkpoint")
                    .toException();
        }
        return Fields.queryWholeNumber(ctx, name, 0, 1, Long.MAX_VALUE);
    }

    /**
     * {@code ?from=&to=&limit=&format=jsonl}: administrative events (keys, configuration, erasures, purges) of the
     * reader's tenant and of the whole installation, oldest first.
     */
    private void events(Context ctx) {
        Principal reader = reader(ctx);
        Instant from = instant(ctx, "from");
        Instant to = instant(ctx, "to");
        this.<AuditEvent>list(
                ctx, visitor -> log.searchEvents(reader.tenant(), from, to, visitor), e -> EventJson.render(json, e));
    }

    /**
     * A search answered as {@code {"object": "list", "data": [...]}}, oldest first, at most {@code limit}; with
     * {@code format=jsonl} every match as JSON Lines, streamed in constant memory.
     */
    private <T> void list(Context ctx, Consumer<Predicate<T>> search, Function<T, ObjectNode> renderOne) {
        if ("jsonl".equals(ctx.queryParam("format"))) {
            ctx.res().setStatus(200);
            ctx.res().setContentType("application/x-ndjson");
            try {
                JsonLines.write(ctx.res().getOutputStream(), search, record -> Json.bytes(renderOne.apply(record)));
            } catch (IOException e) {
                throw new UncheckedIOException("the caller closed the export", e);
            }
            return;
        }
        int limit = limit(ctx);
        var data = json.createArrayNode();
        search.accept(record -> {
            data.add(renderOne.apply(record));
            return data.size() < limit;
        });
        var body = json.createObjectNode().put("object", "list");
        body.set("data", data);
        Responses.ok(ctx, body);
    }

    private void get(Context ctx) {
        Principal reader = reader(ctx);
        String id = ctx.pathParam("id");
        Decision decision = decisions
                .findDecision(id)
                .filter(d -> d.principal() != null && d.principal().tenant().equals(reader.tenant()))
                .orElseThrow(() -> new Stop(
                                "read",
                                404,
                                "invalid_request_error",
                                "decision_not_found",
                                "No decision '" + Stop.echo(id) + "' is recorded for tenant '" + reader.tenant() + "'.",
                                "id")
                        .toException());
        ObjectNode body = render.render(decision);
        body.set("audit", audit(decision));
        Responses.ok(ctx, body);
    }

    /**
     * Where the Decision sits in the audit log and the proof that it is there, against the latest signed checkpoint;
     * {@code proof} is null until a checkpoint covers it (seconds, see audit.checkpoint_interval).
     */
    private ObjectNode audit(Decision decision) {
        ObjectNode audit = json.createObjectNode();
        var link = log.findLink(decision.id());
        audit.put("seq", link.map(ChainLink::seq).orElse(null));
        audit.put("leaf_hash", link.map(ChainLink::leafHash).orElse(null));
        Optional<InclusionProof> proof;
        try {
            var trusted = trustedKeys.get();
            proof = link.flatMap(l -> InclusionProof.of(log, l.record(), l.seq(), trusted));
        } catch (RuntimeException e) {
            // the record is still worth reading; the proof's absence says something is wrong with the log
            LOG.error("no inclusion proof for decision {}", decision.id(), e);
            audit.put("proof_error", "the proof could not be built; run airlock audit verify");
            proof = Optional.empty();
        }
        if (proof.isPresent()) {
            audit.set("proof", ProofJson.render(json, proof.get()));
        } else {
            audit.putNull("proof");
        }
        return audit;
    }

    /**
     * {@code ?from=&to=&model=&outcome=&subject=&limit=}: a JSON list, oldest first, at most {@code limit}; with
     * {@code format=jsonl} every match as JSON Lines, streamed.
     */
    private void search(Context ctx) {
        Principal reader = reader(ctx);
        var query = new DecisionQuery(
                reader.tenant(),
                instant(ctx, "from"),
                instant(ctx, "to"),
                ctx.queryParam("model"),
                outcome(ctx),
                ctx.queryParam("subject"));
        list(ctx, visitor -> decisions.searchDecisions(query, visitor), render::render);
    }

    private Principal reader(Context ctx) {
        return Readers.require(pipeline, ctx, "decisions");
    }

    private static @Nullable Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Stop.invalid("read", name, "'" + name + "' must be an ISO-8601 instant such as 2026-11-23T10:00:00Z")
                    .toException();
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw Stop.invalid("read", name, "'" + name + "' must lie between 1700 and 2200")
                    .toException();
        }
        return parsed;
    }

    // Decisions store instants as epoch nanoseconds: 1677-09-21 to 2262-04-11
    private static final Instant EARLIEST = Instant.parse("1700-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    private static String outcome(Context ctx) {
        String value = ctx.queryParam("outcome");
        if (value != null && !OUTCOMES.contains(value)) {
            throw Stop.invalid("read", "outcome", "'outcome' must be one of " + OUTCOMES)
                    .toException();
        }
        return value;
    }

    private static int limit(Context ctx) {
        return (int) Fields.queryWholeNumber(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }
}
