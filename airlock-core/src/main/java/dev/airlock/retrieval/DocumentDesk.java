package dev.airlock.retrieval;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.audit.Sha256;
import dev.airlock.decision.DecisionIds;
import dev.airlock.guard.InjectionHeuristics;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The controls against data poisoning, each audited: setting how far a source is trusted, adding a document (refused
 * from a blocked source, quarantined on arrival when it looks like a prompt injection) and releasing a quarantined
 * one. Every door goes through here, so each outcome is one of {@link Result}.
 *
 * <pre>{@code
 * switch (desk.ingest("acme", "key:k1", "wiki", text)) {
 *     case Result.Stored stored -> show(stored.document(), stored.trust());
 *     case Result.UnknownSource u -> askAnOperatorToSetTrust(u.source());
 *     default -> refuse();
 * }
 * }</pre>
 */
public final class DocumentDesk {
    /** The longest document accepted; a longer one is to be split. */
    public static final int MAX_TEXT = 20_000;

    // higher than the guard's default: a quarantined document is lost to retrieval until someone releases it
    private static final double QUARANTINE_SCORE = 0.8;
    private static final String SOURCE_NAME = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}";

    private final DocumentStore store;
    private final AdminEvents trail;
    private final Clock clock;
    private final Models models;

    /** What reads a document's text: an embedding model and an injection classifier over its vectors. */
    public interface Models {
        /**
         * The text's embedding.
         *
         * @throws IllegalArgumentException when the text has nothing to embed
         */
        float[] embed(String text);

        /** How likely the embedded text is a prompt injection, from 0 to 1. */
        double injectionProbability(float[] vector);
    }

    /** The outcome of a change to sources or documents. */
    public sealed interface Result {
        /** The source's trust was set and recorded. */
        record TrustSet(String source, Trust trust) implements Result {}

        /** The document is stored (added or released) as it is now; {@code trust} is its source's, if set. */
        record Stored(Document document, @Nullable Trust trust) implements Result {}

        /** A field was not acceptable; nothing was changed. */
        record Invalid(String field, String reason) implements Result {}

        /** The source has no trust set yet, so its documents cannot be taken. */
        record UnknownSource(String source) implements Result {}

        /** The source is blocked: its documents are refused. */
        record Blocked(String source) implements Result {}

        /** No such document in the tenant (another tenant's documents do not exist for it). */
        record NotFound(String id) implements Result {}
    }

    public DocumentDesk(DocumentStore store, AdminEvents trail, Clock clock, Models models) {
        this.store = store;
        this.trail = trail;
        this.clock = clock;
        this.models = models;
    }

    /** Sets how far a tenant trusts a source and records {@code source.trust_set}. */
    public Result setTrust(String tenant, String actor, String source, Trust trust) {
        if (!source.matches(SOURCE_NAME)) {
            return new Result.Invalid("name", "a source name is letters, digits and . _ : / - (at most 128)");
        }
        store.setSourceTrust(tenant, source, trust);
        trail.record(AdminAction.SOURCE_TRUST_SET, tenant, actor, source, Map.of("trust", trust.id()));
        return new Result.TrustSet(source, trust);
    }

    /**
     * Adds a document of a source whose trust is set, quarantined when it looks like a prompt injection, and records
     * {@code document.ingested} with its digest (never its text).
     */
    public Result ingest(String tenant, String actor, String source, String text) {
        if (text.length() > MAX_TEXT) {
            return new Result.Invalid("text", "a document is at most " + MAX_TEXT + " characters; split it");
        }
        Trust trust = store.sources(tenant).get(source);
        if (trust == null) {
            return new Result.UnknownSource(source);
        }
        if (trust == Trust.BLOCKED) {
            return new Result.Blocked(source);
        }
        float[] vector;
        try {
            vector = models.embed(text);
        } catch (IllegalArgumentException e) {
            // e.g. text of nothing but characters the tokenizer drops
            return new Result.Invalid("text", "'text' has no text to embed: " + e.getMessage());
        }
        double score = Math.max(InjectionHeuristics.score(text), models.injectionProbability(vector));
        String quarantine = score >= QUARANTINE_SCORE
                ? String.format(Locale.ROOT, "looks like a prompt injection (score %.2f)", score)
                : null;
        Instant now = clock.instant();
        var document = new Document(
                "doc_" + DecisionIds.next(now.toEpochMilli()),
                tenant,
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
        trail.record(AdminAction.DOCUMENT_INGESTED, tenant, actor, document.id(), details);
        return new Result.Stored(document, trust);
    }

    /** Lifts a document's own quarantine and records {@code document.released} with why it was held. */
    public Result release(String tenant, String actor, String id) {
        Document held =
                store.findDocument(id).filter(d -> d.tenant().equals(tenant)).orElse(null);
        if (held == null) {
            return new Result.NotFound(id);
        }
        store.quarantineDocument(id, null);
        trail.record(
                AdminAction.DOCUMENT_RELEASED, tenant, actor, id, Map.of("was", String.valueOf(held.quarantine())));
        Document now = store.findDocument(id).orElse(held);
        return new Result.Stored(now, store.sources(tenant).get(held.source()));
    }
}
