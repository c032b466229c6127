package dev.airlock.decision;

import org.jspecify.annotations.Nullable;

/**
 * A Decision holds text that no store can keep as text (U+0000, which PostgreSQL's {@code text} refuses): the
 * Decision is refused before it is written, the same on every store, so that it fails alone and never the write of
 * the Decisions beside it.
 */
public final class UnstorableText extends IllegalArgumentException {
    private final String field;

    public UnstorableText(String decisionId, String field) {
        super("Decision '" + decisionId + "': " + field + " contains U+0000, which the audit log cannot store as text");
        this.field = field;
    }

    /** The Decision's field that holds the text, e.g. {@code model}. */
    public String field() {
        return field;
    }

    /** Throws when any of the Decision's plain-text fields holds U+0000. */
    public static void requireStorable(Decision d) {
        Principal who = d.principal();
        check(d, "id", d.id());
        if (who != null) {
            check(d, "tenant", who.tenant());
            check(d, "key_id", who.keyId());
        }
        check(d, "model", d.model());
        check(d, "model_version", d.modelVersion());
        check(d, "provider", d.provider());
        check(d, "upstream_model", d.upstreamModel());
        Stop stop = switch (d.outcome()) {
            case Outcome.Answered answered -> null;
            case Outcome.Refused refused -> refused.stop();
            case Outcome.Failed failed -> failed.stop();
        };
        if (stop != null) {
            check(d, "stop.stage", stop.stage());
            check(d, "stop.type", stop.type());
            check(d, "stop.code", stop.code());
            check(d, "stop.message", stop.message());
            check(d, "stop.param", stop.param());
        }
    }

    private static void check(Decision d, String field, @Nullable String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw new UnstorableText(d.id(), field);
        }
    }
}
