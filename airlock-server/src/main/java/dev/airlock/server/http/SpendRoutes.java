package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.auth.KeyStore;
import dev.airlock.cost.Budget;
import dev.airlock.cost.Budgets;
import dev.airlock.cost.SpendRow;
import dev.airlock.cost.SpendSource;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;

/**
 * What a tenant spent and how its budgets stand, for auditor, operator and admin keys of that tenant.
 *
 * <ul>
 *   <li>{@code GET /v1/spend?period=day|month&from=YYYY-MM-DD&to=YYYY-MM-DD&group_by=model|key}: requests, tokens
 *       and US dollars per UTC day or month ({@code to} exclusive; default: this month so far)
 *   <li>{@code GET /v1/budgets}: the budgets that apply to the tenant, spend and reservations in their current period
 * </ul>
 */
final class SpendRoutes {
    private final Pipeline pipeline;
    private final SpendSource store;
    private final KeyStore keys;
    private final Budgets budgets;
    private final ObjectMapper json;

    SpendRoutes(Pipeline pipeline, SpendSource store, KeyStore keys, Budgets budgets, ObjectMapper json) {
        this.keys = keys;
        this.pipeline = pipeline;
        this.store = store;
        this.budgets = budgets;
        this.json = json;
    }

    void register(Javalin app) {
        app.get("/v1/spend", this::spend);
        app.get("/v1/budgets", this::budgets);
    }

    private void spend(Context ctx) {
        Principal reader = reader(ctx);
        String period = ctx.queryParamAsClass("period", String.class).getOrDefault("day");
        if (!period.equals("day") && !period.equals("month")) {
            throw Stop.invalid("read", "period", "'period' must be day or month")
                    .toException();
        }
        String groupBy = ctx.queryParam("group_by");
        if (groupBy != null && !groupBy.equals("model") && !groupBy.equals("key")) {
            throw Stop.invalid("read", "group_by", "'group_by' must be model or key")
                    .toException();
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = date(ctx, "from", today.withDayOfMonth(1));
        LocalDate to = date(ctx, "to", today.plusDays(1));
        if (!from.isBefore(to)) {
            throw Stop.invalid("read", "to", "'to' must be after 'from'").toException();
        }
        var rows = store.spend(reader.tenant(), start(from), start(to), groupBy, period.equals("month"));
        ObjectNode body = json.createObjectNode().put("object", "list");
        body.put("tenant", reader.tenant()).put("currency", "USD").put("period", period);
        var data = body.putArray("data");
        BigDecimal total = BigDecimal.ZERO;
        for (SpendRow r : rows) {
            ObjectNode row = data.addObject().put("period", r.period().toString());
            if (groupBy != null) {
                row.put(groupBy, r.group());
            }
            row.put("requests", r.requests())
                    .put("input_tokens", r.inputTokens())
                    .put("output_tokens", r.outputTokens())
                    .put("cost_usd", plain(r.cost()))
                    .put("unpriced_requests", r.unpriced());
            total = total.add(r.cost());
        }
        body.put("total_usd", plain(total));
        Responses.ok(ctx, body);
    }

    private void budgets(Context ctx) {
        Principal reader = reader(ctx);
        ObjectNode body = json.createObjectNode().put("object", "list");
        var data = body.putArray("data");
        // a tenant's readers see its own budgets, its keys' and the model-wide ones its calls count against
        Predicate<Budget> visible = b -> switch (b.scope()) {
            case TENANT -> b.subject().equals(reader.tenant());
            case KEY ->
                keys.findKey(b.subject())
                        .map(k -> k.tenant().equals(reader.tenant()))
                        .orElse(false);
            case MODEL -> true;
        };
        for (Budgets.Status s : budgets.status(visible)) {
            var b = s.budget();
            ObjectNode row = data.addObject()
                    .put("name", b.name())
                    .put("scope", b.scope().id())
                    .put("subject", b.subject())
                    .put("period", b.period().id())
                    .put("period_start", s.periodStart().toString())
                    .put("spent_usd", plain(s.spent()))
                    .put("reserved_usd", plain(s.reserved()));
            row.put("soft_usd", b.soft() == null ? null : plain(b.soft()));
            row.put("hard_usd", b.hard() == null ? null : plain(b.hard()));
        }
        Responses.ok(ctx, body);
    }

    private static String plain(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static LocalDate date(Context ctx, String name, LocalDate fallback) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            LocalDate day = LocalDate.parse(value);
            if (day.getYear() < 1700 || day.getYear() > 2200) {
                throw Stop.invalid("read", name, "'" + name + "' must be a date between 1700 and 2200")
                        .toException();
            }
            return day;
        } catch (DateTimeParseException e) {
            throw Stop.invalid("read", name, "'" + name + "' must be a date such as 2026-11-01")
                    .toException();
        }
    }

    private Principal reader(Context ctx) {
        return Readers.require(pipeline, ctx, "spend");
    }
}
