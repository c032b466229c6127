package dev.airlock.store;

import dev.airlock.cost.Budget;
import dev.airlock.cost.SpendRow;
import dev.airlock.cost.SpendSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Spend summed from the {@code decisions} table (cost in nano-dollars, so sums are exact). */
final class SpendTable implements SpendSource {
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private final Database database;

    SpendTable(Database database) {
        this.database = database;
    }

    @Override
    public BigDecimal spent(Budget.Scope scope, String subject, Instant from, Instant to) {
        String column = switch (scope) {
            case TENANT -> "tenant";
            case KEY -> "key_id";
            case MODEL -> "model";
        };
        Long nanos = database.reads()
                .withHandle(handle -> handle.createQuery("SELECT SUM(cost_nano_usd) FROM decisions WHERE " + column
                                + " = :subject AND started_at >= :from AND started_at < :to")
                        .bind("subject", subject)
                        .bind("from", EpochNanos.of(from, "from"))
                        .bind("to", EpochNanos.of(to, "to"))
                        .mapTo(Long.class)
                        .findOne()
                        .orElse(null));
        return nanos == null ? BigDecimal.ZERO.setScale(9) : Money.usd(nanos);
    }

    /**
     * A tenant's spend per UTC day (or month, rolled up from days) and group.
     *
     * @param groupBy {@code model}, {@code key} or null for one row per period
     */
    @Override
    public List<SpendRow> spend(String tenant, Instant from, Instant to, @Nullable String groupBy, boolean monthly) {
        String group = switch (groupBy == null ? "" : groupBy) {
            case "model" -> "model";
            case "key" -> "key_id";
            case "" -> "'*'";
            default -> throw new IllegalArgumentException("group_by must be model or key, not '" + groupBy + "'");
        };
        String sql = "SELECT started_at / " + NANOS_PER_DAY + " AS day, " + group + " AS grp, COUNT(*) AS requests,"
                + " SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,"
                + " SUM(cost_nano_usd) AS cost,"
                + " SUM(CASE WHEN cost_nano_usd IS NULL AND input_tokens + output_tokens > 0 THEN 1 ELSE 0 END)"
                + " AS unpriced"
                + " FROM decisions WHERE tenant = :tenant AND started_at >= :from AND started_at < :to"
                + " GROUP BY day, grp ORDER BY day, grp";
        List<SpendRow> days = database.reads()
                .withHandle(handle -> handle.createQuery(sql)
                        .bind("tenant", tenant)
                        .bind("from", EpochNanos.of(from, "from"))
                        .bind("to", EpochNanos.of(to, "to"))
                        .map((rs, ctx) -> new SpendRow(
                                LocalDate.ofEpochDay(rs.getLong("day")),
                                rs.getString("grp") == null ? "(none)" : rs.getString("grp"),
                                rs.getLong("requests"),
                                rs.getLong("input_tokens"),
                                rs.getLong("output_tokens"),
                                Money.usd(rs.getObject("cost") == null ? 0L : rs.getLong("cost")),
                                rs.getLong("unpriced")))
                        .list());
        return monthly ? byMonth(days) : days;
    }

    private static List<SpendRow> byMonth(List<SpendRow> days) {
        Map<String, SpendRow> months = new LinkedHashMap<>();
        for (SpendRow d : days) {
            LocalDate month = d.period().withDayOfMonth(1);
            months.merge(
                    month + "|" + d.group(),
                    new SpendRow(
                            month, d.group(), d.requests(), d.inputTokens(), d.outputTokens(), d.cost(), d.unpriced()),
                    (a, b) -> new SpendRow(
                            a.period(),
                            a.group(),
                            a.requests() + b.requests(),
                            a.inputTokens() + b.inputTokens(),
                            a.outputTokens() + b.outputTokens(),
                            a.cost().add(b.cost()),
                            a.unpriced() + b.unpriced()));
        }
        List<SpendRow> out = new ArrayList<>(months.values());
        out.sort(Comparator.comparing(SpendRow::period).thenComparing(SpendRow::group));
        return out;
    }

    static Instant startOfDay(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
