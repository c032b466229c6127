package dev.airlock.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A spending limit in US dollars for a tenant, an API key or a model, per UTC day or month. Crossing {@code soft}
 * raises an alert; a call that could take spend past {@code hard} is refused with 429.
 *
 * @param name how errors, metrics and the API name it
 * @param scope what it limits
 * @param subject the tenant, key id or model name it applies to
 * @param period how often it resets
 * @param soft the alert threshold, or null
 * @param hard the refusal threshold, or null
 */
public record Budget(
        String name,
        Scope scope,
        String subject,
        Period period,
        @Nullable BigDecimal soft,
        @Nullable BigDecimal hard) {
    public Budget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(period, "period");
        if (soft == null && hard == null) {
            throw new IllegalArgumentException("budget '" + name + "' needs a soft or a hard limit");
        }
    }

    /** What a budget limits. */
    public enum Scope {
        TENANT,
        KEY,
        MODEL;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How often a budget resets (UTC). */
    public enum Period {
        DAY,
        MONTH;

        /** The start of the period that contains {@code at}. */
        public Instant start(Instant at) {
            LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
            LocalDate first = this == DAY ? day : day.withDayOfMonth(1);
            return first.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        /** The start of the next period after the one that contains {@code at}. */
        public Instant next(Instant at) {
            LocalDate first = LocalDate.ofInstant(start(at), ZoneOffset.UTC);
            return (this == DAY ? first.plusDays(1) : first.plusMonths(1))
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a call by this tenant and key to this model counts against the budget. */
    public boolean covers(String tenant, String keyId, String model) {
        return switch (scope) {
            case TENANT -> subject.equals(tenant);
            case KEY -> subject.equals(keyId);
            case MODEL -> subject.equals(model);
        };
    }
}
