package dev.airlock.workflow;

import dev.airlock.decision.Principal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A workflow run as last checkpointed.
 *
 * @param startedBy the key that started it; every call of the run is made on its behalf
 * @param input the run's input (JSON object text)
 * @param subject the data subject the run concerns, or null; its Decisions' content is encrypted under that subject
 * @param pending the step waiting for a person, or null
 * @param detail why the run ended or waits, for people
 * @param spent what the run has used, in total and per agent
 * @param traceId the one trace every Decision of the run joins (32 hex digits)
 * @param owner the node executing it, or null
 * @param leaseUntil until when the owner holds it; another node may take a running run over after
 */
public record Run(
        String id,
        String tenant,
        Principal startedBy,
        String workflow,
        Status status,
        String input,
        @Nullable String subject,
        @Nullable String pending,
        @Nullable String detail,
        Spent spent,
        Map<String, Spent> agents,
        String traceId,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant endedAt,
        @Nullable String owner,
        @Nullable Instant leaseUntil) {
    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        agents = Map.copyOf(agents);
    }

    /** Where a run is. */
    public enum Status {
        RUNNING,
        WAITING,
        COMPLETED,
        FAILED,
        REJECTED,
        CANCELLED,
        LIMIT_EXCEEDED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean ended() {
            return this != RUNNING && this != WAITING;
        }

        public static Status parse(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /** Steps executed, tokens and cost of model calls. */
    public record Spent(int steps, long tokens, BigDecimal costUsd) {
        public static final Spent NONE = new Spent(0, 0, BigDecimal.ZERO);

        public Spent {
            // one scale (nano-dollars), so that a cost reads back from any store exactly as it was saved
            costUsd = costUsd.setScale(9, RoundingMode.HALF_UP);
        }

        Spent plus(int moreSteps, long moreTokens, BigDecimal moreCost) {
            return new Spent(steps + moreSteps, tokens + moreTokens, costUsd.add(moreCost));
        }
    }

    Run with(Status now, @Nullable String pendingStep, @Nullable String why, Instant at) {
        return new Run(
                id,
                tenant,
                startedBy,
                workflow,
                now,
                input,
                subject,
                pendingStep,
                why,
                spent,
                agents,
                traceId,
                createdAt,
                at,
                now.ended() ? at : null,
                now.ended() ? null : owner,
                now.ended() ? null : leaseUntil);
    }

    Run owned(@Nullable String node, @Nullable Instant until) {
        return new Run(
                id, tenant, startedBy, workflow, status, input, subject, pending, detail, spent, agents, traceId,
                createdAt, updatedAt, endedAt, node, until);
    }

    Run spending(String agent, int steps, long tokens, BigDecimal cost) {
        Map<String, Spent> byAgent = new LinkedHashMap<>(agents);
        byAgent.merge(
                agent, Spent.NONE.plus(steps, tokens, cost), (a, b) -> a.plus(b.steps(), b.tokens(), b.costUsd()));
        return new Run(
                id,
                tenant,
                startedBy,
                workflow,
                status,
                input,
                subject,
                pending,
                detail,
                spent.plus(steps, tokens, cost),
                byAgent,
                traceId,
                createdAt,
                updatedAt,
                endedAt,
                owner,
                leaseUntil);
    }
}
