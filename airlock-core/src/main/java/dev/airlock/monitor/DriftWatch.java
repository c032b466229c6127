package dev.airlock.monitor;

import dev.airlock.monitor.drift.ColumnProfile;
import dev.airlock.monitor.drift.Drift;
import dev.airlock.monitor.drift.DriftOptions;
import dev.airlock.monitor.drift.DriftReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The drift use case every door (HTTP, CLI, metrics) calls: a model version's live profile over recent windows,
 * merged, compared column by column with its reference profile. Inputs are compared by the reference's columns, and
 * the outputs the reference has (its label column becomes the reference of {@code predicted_class}); columns the live
 * traffic has but the reference lacks are left out, since there is nothing to compare them with.
 *
 * <pre>{@code
 * switch (watch.check("loan-risk", null, Duration.ofHours(24), DriftOptions.defaults())) {
 *     case DriftWatch.Report r -> print(r.report().text());
 *     case DriftWatch.NoReference n -> ...;
 *     case DriftWatch.NoTraffic n -> ...;
 *     case DriftWatch.UnknownModel m -> ...;
 *     case DriftWatch.UnknownVersion v -> ...;
 * }
 * }</pre>
 */
public final class DriftWatch {
    /** How far back a check looks unless told: the last day. */
    public static final Duration DEFAULT_SINCE = Duration.ofHours(24);

    /** The category the values a non-exact categorical column does not name are counted under. */
    static final String OTHER = "(other)";

    private final Profiles profiles;

    public DriftWatch(Profiles profiles) {
        this.profiles = profiles;
    }

    /** What a check found. */
    public sealed interface Result permits Report, NoReference, NoTraffic, UnknownModel, UnknownVersion {}

    /**
     * The comparison.
     *
     * @param from where the earliest compared window starts
     * @param to where the latest compared window ends (exclusive)
     * @param calls calls profiled in the compared windows
     * @param referenceRows rows of the reference
     */
    public record Report(
            String model, String version, Instant from, Instant to, long calls, long referenceRows, DriftReport report)
            implements Result {}

    /** The version has no reference profile to compare with. */
    public record NoReference(String model, String version) implements Result {}

    /** The version had no calls in the windows asked for. */
    public record NoTraffic(String model, String version, Instant from, Instant to) implements Result {}

    public record UnknownModel(String model) implements Result {}

    public record UnknownVersion(String model, String version, List<String> declared) implements Result {}

    /**
     * Compares a model version's windows that started within {@code since} before now, and the current one, merged,
     * with its reference profile.
     *
     * @param version one version, or null for the model's default version
     */
    public Result check(String model, @Nullable String version, Duration since, DriftOptions options) {
        String v = version != null ? version : profiles.defaultVersion(model);
        if (v == null) {
            return new UnknownModel(model);
        }
        return switch (profiles.read(model, v, since)) {
            case Profiles.UnknownModel m -> new UnknownModel(m.model());
            case Profiles.UnknownVersion u -> new UnknownVersion(u.model(), u.version(), u.declared());
            case Profiles.Found found -> compare(found.profiles().getFirst(), options);
        };
    }

    /**
     * Compares the outputs of {@code version} with those of {@code baseline} over the same windows (those that started
     * within {@code since} before now, and the current one): how a canary's predictions differ from production's. The
     * report's reference side is the baseline; {@link NoTraffic} when either version had no calls.
     */
    public Result compareOutputs(String model, String baseline, String version, Duration since, DriftOptions options) {
        Profile base = null;
        Profile current = null;
        for (String v : List.of(baseline, version)) {
            switch (profiles.read(model, v, since)) {
                case Profiles.UnknownModel m -> {
                    return new UnknownModel(m.model());
                }
                case Profiles.UnknownVersion u -> {
                    return new UnknownVersion(u.model(), u.version(), u.declared());
                }
                case Profiles.Found found -> {
                    if (v.equals(baseline) && base == null) {
                        base = found.profiles().getFirst();
                    } else {
                        current = found.profiles().getFirst();
                    }
                }
            }
        }
        Profile b = Objects.requireNonNull(base, "read above");
        Profile c = Objects.requireNonNull(current, "read above");
        Profile quiet = b.count() == 0 ? b : c.count() == 0 ? c : null;
        if (quiet != null) {
            return new NoTraffic(model, quiet.version(), quiet.from(), quiet.to());
        }
        List<ColumnProfile> ref = new ArrayList<>();
        List<ColumnProfile> cur = new ArrayList<>();
        pair(b.outputs(), c.outputs(), ref, cur);
        return new Report(model, version, c.from(), c.to(), c.count(), b.count(), Drift.report(ref, cur, options));
    }

    private Result compare(Profile current, DriftOptions options) {
        Profile reference =
                profiles.reference(current.model(), current.version()).orElse(null);
        if (reference == null) {
            return new NoReference(current.model(), current.version());
        }
        if (current.count() == 0) {
            return new NoTraffic(current.model(), current.version(), current.from(), current.to());
        }
        List<ColumnProfile> ref = new ArrayList<>();
        List<ColumnProfile> cur = new ArrayList<>();
        pair(reference.inputs(), current.inputs(), ref, cur);
        pair(reference.outputs(), current.outputs(), ref, cur);
        DriftReport report = Drift.report(ref, cur, options);
        return new Report(
                current.model(),
                current.version(),
                current.from(),
                current.to(),
                current.count(),
                reference.count(),
                report);
    }

    /** Each reference column with the current column of its name, read as the reference's kind. */
    private static void pair(
            Map<String, Column> reference,
            Map<String, Column> current,
            List<ColumnProfile> refOut,
            List<ColumnProfile> curOut) {
        reference.forEach((name, column) -> {
            Column live = current.get(name);
            Column same = Column.empty(column.kind());
            if (live != null) {
                same.merge(live); // a column seen as the other kind counts its values as type errors
            }
            refOut.add(drift(name, column));
            curOut.add(drift(name, same));
        });
    }

    /** A profile column as drift's input; values a non-exact category count does not name go under (other). */
    static ColumnProfile drift(String name, Column column) {
        return switch (column) {
            case NumericColumn n -> new ColumnProfile.Sketch(name, n.sketch(), n.nulls(), n.typeErrors());
            case CategoricalColumn c -> {
                Map<String, Long> counts = new LinkedHashMap<>(c.counts());
                long named = counts.values().stream().mapToLong(Long::longValue).sum();
                if (!c.exact() && c.count() > named) {
                    counts.merge(OTHER, c.count() - named, Long::sum);
                }
                yield new ColumnProfile.Categories(name, counts, c.nulls(), c.typeErrors());
            }
        };
    }
}
