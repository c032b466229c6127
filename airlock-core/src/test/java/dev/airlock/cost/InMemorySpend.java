package dev.airlock.cost;

import dev.airlock.decision.Decision;
import dev.airlock.decision.InMemoryDecisionLog;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Spend summed from an {@link InMemoryDecisionLog}, for core tests; passes {@link SpendSourceContract}. Like the store,
 * it counts a Decision by when it started, and a call that used tokens without a price as unpriced.
 */
public final class InMemorySpend implements SpendSource {
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(9);
    private final InMemoryDecisionLog log;

    public InMemorySpend(InMemoryDecisionLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public BigDecimal spent(Budget.Scope scope, String subject, Instant from, Instant to) {
        return log.all().stream()
                .filter(d -> within(d, from, to) && subject.equals(subjectOf(d, scope)))
                .map(d -> d.cost() == null ? ZERO : d.cost())
                .reduce(ZERO, BigDecimal::add);
    }

    @Override
    public List<SpendRow> spend(String tenant, Instant from, Instant to, String groupBy, boolean monthly) {
        if (groupBy != null && !groupBy.equals("model") && !groupBy.equals("key")) {
            throw new IllegalArgumentException("group_by must be model or key, not '" + groupBy + "'");
        }
        Map<String, SpendRow> rows = new TreeMap<>();
        for (Decision d : log.all()) {
            if (d.principal() == null || !tenant.equals(d.principal().tenant()) || !within(d, from, to)) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(d.startedAt(), ZoneOffset.UTC);
            LocalDate period = monthly ? day.withDayOfMonth(1) : day;
            String group = groupBy == null
                    ? "*"
                    : groupBy.equals("model") ? d.model() : d.principal().keyId();
            String shown = group == null ? "(none)" : group;
            long tokens = d.usage().inputTokens() + d.usage().outputTokens();
            var row = new SpendRow(
                    period,
                    shown,
                    1,
                    d.usage().inputTokens(),
                    d.usage().outputTokens(),
                    d.cost() == null ? ZERO : d.cost(),
                    d.cost() == null && tokens > 0 ? 1 : 0);
            rows.merge(period + "|" + shown, row, InMemorySpend::add);
        }
        List<SpendRow> out = new ArrayList<>(rows.values());
        out.sort(Comparator.comparing(SpendRow::period).thenComparing(SpendRow::group));
        return out;
    }

    private static SpendRow add(SpendRow a, SpendRow b) {
        return new SpendRow(
                a.period(),
                a.group(),
                a.requests() + b.requests(),
                a.inputTokens() + b.inputTokens(),
                a.outputTokens() + b.outputTokens(),
                a.cost().add(b.cost()),
                a.unpriced() + b.unpriced());
    }

    private static boolean within(Decision d, Instant from, Instant to) {
        return !d.startedAt().isBefore(from) && d.startedAt().isBefore(to);
    }

    private static String subjectOf(Decision d, Budget.Scope scope) {
        return switch (scope) {
            case TENANT -> d.principal() == null ? null : d.principal().tenant();
            case KEY -> d.principal() == null ? null : d.principal().keyId();
            case MODEL -> d.model();
        };
    }
}
