package dev.airlock.incident;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something going wrong with one model (or with the installation), from the first firing alert until a person resolves
 * it with a {@link PostIncident} record. Alerts of the same model that fire meanwhile join it rather than open
 * another.
 *
 * @param subject the model's name, or {@link #INSTALLATION} for the installation's own alerts
 * @param version the model version the first alert was about ("" for the installation)
 * @param title the first alert's summary
 * @param owner who owns the model (from its configuration)
 * @param runbook where the runbook is ("" when none is declared)
 * @param assignee who is working on it, or null
 * @param record the post-incident record, present once resolved
 */
public record Incident(
        String id,
        String subject,
        String version,
        State state,
        String title,
        String owner,
        String runbook,
        @Nullable String assignee,
        Instant openedAt,
        @Nullable Instant acknowledgedAt,
        @Nullable String acknowledgedBy,
        @Nullable Instant resolvedAt,
        @Nullable String resolvedBy,
        @Nullable PostIncident record,
        Instant updatedAt) {

    /** The subject of incidents opened by the installation's own alerts (breakers, budgets, audit, store). */
    public static final String INSTALLATION = "installation";

    public Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public enum State {
        OPEN,
        ACKNOWLEDGED,
        RESOLVED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state named {@code id}; refuses others naming the accepted ones. */
        public static State parse(String id) {
            for (State s : values()) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("'" + id + "' is not one of open, acknowledged, resolved");
        }
    }

    /** Opened by the first alert: nobody acknowledged or assigned it yet. */
    static Incident open(
            String id, String subject, String version, String title, String owner, String runbook, Instant at) {
        return new Incident(
                id, subject, version, State.OPEN, title, owner, runbook, null, at, null, null, null, null, null, at);
    }

    /** Whether it still needs somebody (open or acknowledged). */
    public boolean unresolved() {
        return state != State.RESOLVED;
    }

    Incident acknowledged(String by, Instant now) {
        return new Incident(
                id,
                subject,
                version,
                State.ACKNOWLEDGED,
                title,
                owner,
                runbook,
                assignee,
                openedAt,
                now,
                by,
                null,
                null,
                null,
                now);
    }

    Incident assigned(String to, Instant now) {
        return new Incident(
                id,
                subject,
                version,
                state,
                title,
                owner,
                runbook,
                to,
                openedAt,
                acknowledgedAt,
                acknowledgedBy,
                resolvedAt,
                resolvedBy,
                record,
                now);
    }

    Incident resolved(PostIncident with, String by, Instant now) {
        return new Incident(
                id,
                subject,
                version,
                State.RESOLVED,
                title,
                owner,
                runbook,
                assignee,
                openedAt,
                acknowledgedAt,
                acknowledgedBy,
                now,
                by,
                with,
                now);
    }

    /** Touched: a timeline entry was added, so it sorts as recently updated. */
    Incident touched(Instant now) {
        return new Incident(
                id,
                subject,
                version,
                state,
                title,
                owner,
                runbook,
                assignee,
                openedAt,
                acknowledgedAt,
                acknowledgedBy,
                resolvedAt,
                resolvedBy,
                record,
                now);
    }
}
