package dev.airlock.monitor;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ServedModel;
import java.io.Reader;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The profile use cases every door (HTTP, CLI, embedding) calls: read a model version's profile over a range of
 * windows (every node's stored partials merged, plus what this node has not flushed yet), and read or put its
 * reference profile, built from a CSV of training or validation data. Putting a reference is audited.
 *
 * <pre>{@code
 * switch (profiles.read("loan-risk", null, Duration.ZERO)) {
 *     case Profiles.Found found -> found.profiles().forEach(p -> show(p));
 *     case Profiles.UnknownModel m -> ...;
 *     case Profiles.UnknownVersion v -> ...;
 * }
 * }</pre>
 */
public final class Profiles {
    private final ProfileStore store;
    private final Profiler profiler;
    private final ModelCatalog catalog;
    private final AdminEvents audit;
    private final Clock clock;

    public Profiles(ProfileStore store, Profiler profiler, ModelCatalog catalog, AdminEvents audit, Clock clock) {
        this.store = store;
        this.profiler = profiler;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a read found. */
    public sealed interface Read permits Found, UnknownModel, UnknownVersion {}

    /** Profiles, one per version asked for (empty profiles for versions without calls yet). */
    public record Found(List<Profile> profiles) implements Read {}

    public record UnknownModel(String model) implements Read, Put {}

    public record UnknownVersion(String model, String version, List<String> declared) implements Read, Put {}

    /** What putting a reference did. */
    public sealed interface Put permits Stored, UnknownModel, UnknownVersion, Invalid {}

    /**
     * @param rows data rows read
     * @param label the column profiled as the predicted class's reference, or null
     * @param ignored columns that are no feature of the model
     */
    public record Stored(
            Profile reference, long rows, @Nullable String label, List<String> ignored) implements Put {}

    /** The CSV could not be read as the model's data; {@code message} names the line and what was expected. */
    public record Invalid(String message) implements Put {}

    /**
     * A model's profile over the windows that started within {@code last} before now, and the current one (so
     * {@link Duration#ZERO} is the current window alone).
     *
     * @param version one version, or null for every declared version
     */
    public Read read(String model, @Nullable String version, Duration last) {
        Map<String, ServedModel> versions = catalog.versions(model);
        if (versions.isEmpty()) {
            return new UnknownModel(model);
        }
        if (version != null && !versions.containsKey(version)) {
            return new UnknownVersion(model, version, List.copyOf(versions.keySet()));
        }
        Instant now = clock.instant();
        List<Profile> out = new ArrayList<>();
        for (String v : version != null ? List.of(version) : new TreeSet<>(versions.keySet())) {
            ProfileSpec spec = spec(model, v, versions);
            Instant from = windowStart(now.minus(last), spec.window());
            Instant to = windowStart(now, spec.window()).plus(spec.window());
            Profile p = new Profile(model, v, from, to);
            Profile merged = store.merged(model, v, from, to).orElse(null);
            if (merged != null) {
                p.merge(merged);
            }
            profiler.unflushed(model, v, from, to).forEach(p::merge);
            out.add(p);
        }
        return new Found(out);
    }

    /** A model's default version (the one calls without a pin get); null for an unknown model. */
    @Nullable
    String defaultVersion(String model) {
        return catalog.versions(model).keySet().stream().findFirst().orElse(null);
    }

    /** A model version's reference profile. */
    public Optional<Profile> reference(String model, String version) {
        return store.reference(model, version);
    }

    /**
     * Builds a model version's reference profile from CSV data with a header row, replaces the stored one, and audits
     * the change as {@link AdminAction#PROFILE_REFERENCE_PUT}.
     *
     * @param actor who put it, for the audit log
     */
    public Put putReference(String model, String version, Reader csv, String actor) {
        Map<String, ServedModel> versions = catalog.versions(model);
        if (versions.isEmpty()) {
            return new UnknownModel(model);
        }
        if (!versions.containsKey(version)) {
            return new UnknownVersion(model, version, List.copyOf(versions.keySet()));
        }
        ReferenceCsv.Result read;
        try {
            read = ReferenceCsv.read(model, version, spec(model, version, versions), csv, clock.instant());
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage() == null ? "not a CSV file with a header row" : e.getMessage());
        }
        if (read.rows() == 0) {
            return new Invalid("the file has a header but no data rows");
        }
        store.putReference(read.profile());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("rows", Long.toString(read.rows()));
        details.put("columns", String.join(",", read.profile().inputs().keySet()));
        if (read.label() != null) {
            details.put("label", read.label());
        }
        audit.record(AdminAction.PROFILE_REFERENCE_PUT, null, actor, model + "@" + version, details);
        return new Stored(read.profile(), read.rows(), read.label(), read.ignored());
    }

    /**
     * Puts a reference built from {@code csv} unless the version has one already (one put by an operator stays until
     * replaced); for references declared in configuration, built when a node starts. Not audited: the configuration
     * that declares it is.
     *
     * @return what was stored, or empty when a reference existed
     * @throws IllegalArgumentException when the CSV cannot be read as the model's data
     */
    public Optional<Stored> ensureReference(String model, String version, String csv) {
        if (store.reference(model, version).isPresent()) {
            return Optional.empty();
        }
        Map<String, ServedModel> versions = catalog.versions(model);
        ReferenceCsv.Result read = ReferenceCsv.read(
                model, version, spec(model, version, versions), new StringReader(csv), clock.instant());
        store.putReference(read.profile());
        return Optional.of(new Stored(read.profile(), read.rows(), read.label(), read.ignored()));
    }

    /** Where the window holding {@code at} starts. */
    public static Instant windowStart(Instant at, Duration window) {
        long millis = window.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), millis) * millis);
    }

    private ProfileSpec spec(String model, String version, Map<String, ServedModel> versions) {
        ServedModel served = versions.get(version);
        if (served == null) {
            throw new IllegalArgumentException("model " + model + " has no version '" + version + "'");
        }
        return profiler.spec(model, version, served.spec().kind());
    }
}
