package dev.airlock.server.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.monitor.CategoricalColumn;
import dev.airlock.monitor.Column;
import dev.airlock.monitor.NumericColumn;
import dev.airlock.monitor.Profile;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shape of a profile, for the admin API and the CLI alike: counts, schema drift, and per column its count,
 * nulls and type errors with quantiles (numbers) or the top categories (categories).
 */
public final class ProfileJson {
    /** The quantiles shown of a numeric column. */
    public static final double[] RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    /** The most categories shown of a categorical column. */
    public static final int TOP = 20;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ProfileJson() {}

    public static ObjectNode profile(Profile p) {
        var root = JSON.objectNode()
                .put("object", "profile")
                .put("model", p.model())
                .put("version", p.version())
                .put("from", p.from().toString())
                .put("to", p.to().toString())
                .put("count", p.count());
        var drift = root.putObject("schema_drift")
                .put("unknown_fields", p.unknownFields())
                .put("missing_fields", p.missingFields());
        counts(drift.putObject("unknown"), p.unknownFieldNames(), Integer.MAX_VALUE);
        counts(drift.putObject("missing"), p.missingFieldNames(), Integer.MAX_VALUE);
        var inputs = root.putObject("inputs");
        p.inputs().forEach((name, c) -> inputs.set(name, column(c)));
        var outputs = root.putObject("outputs");
        p.outputs().forEach((name, c) -> outputs.set(name, column(c)));
        return root;
    }

    /** A rank's name in the JSON: {@code p01}, {@code p50}, {@code p99}. */
    public static String rankName(double rank) {
        return String.format(Locale.ROOT, "p%02d", Math.round(rank * 100));
    }

    private static ObjectNode column(Column c) {
        var node = JSON.objectNode()
                .put("kind", c.kind().name().toLowerCase(Locale.ROOT))
                .put("count", c.count())
                .put("nulls", c.nulls())
                .put("type_errors", c.typeErrors());
        switch (c) {
            case NumericColumn n -> {
                number(node, "min", n.min());
                number(node, "max", n.max());
                var q = node.putObject("quantiles");
                for (double rank : RANKS) {
                    number(q, rankName(rank), n.quantile(rank));
                }
                node.put("rank_error", NumericColumn.rankError());
            }
            case CategoricalColumn k -> {
                node.put("exact", k.exact());
                counts(node.putObject("categories"), k.counts(), TOP);
                node.put("distinct_shown", Math.min(TOP, k.counts().size()));
            }
        }
        return node;
    }

    private static void counts(ObjectNode into, Map<String, Long> counts, int limit) {
        counts.entrySet().stream().limit(limit).forEach(e -> into.put(e.getKey(), e.getValue()));
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
