package dev.airlock.decision;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which recorded Decisions to read. Null fields do not filter.
 *
 * @param tenant only this tenant's Decisions (null: every tenant, for operators of the store itself)
 * @param from started at or after this instant
 * @param to started before this instant
 * @param model only calls that named this model
 * @param outcome only this outcome label: answered, refused or failed
 * @param subject only requests that named this data subject (needs a tenant: subjects are per tenant)
 */
public record DecisionQuery(
        @Nullable String tenant,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable String model,
        @Nullable String outcome,
        @Nullable String subject) {
    public DecisionQuery {
        if (subject != null && tenant == null) {
            throw new IllegalArgumentException("a search by subject needs a tenant: subject ids are per tenant");
        }
    }

    /**
     * Whether a Decision meets every filter but the subject (which a Decision does not carry once its content is
     * gone): a store finds rows by its index and checks the records it read against the query.
     */
    public boolean matches(Decision d) {
        String of = d.principal() == null ? null : d.principal().tenant();
        return (tenant == null ? of != null : tenant.equals(of))
                && (from == null || !d.startedAt().isBefore(from))
                && (to == null || d.startedAt().isBefore(to))
                && (model == null || model.equals(d.model()))
                && (outcome == null || outcome.equals(d.outcome().label()));
    }

    public static DecisionQuery ofTenant(String tenant) {
        return new DecisionQuery(tenant, null, null, null, null, null);
    }
}
