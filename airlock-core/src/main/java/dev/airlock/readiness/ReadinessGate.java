package dev.airlock.readiness;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The readiness scorecard of a model: what its owners declare about it and the evidence recorded for it. The gate
 * only reads; promoting behind it and waiving its checks are use cases of {@code dev.airlock.deploy.DeploymentDesk}.
 *
 * <pre>{@code
 * var gate = new ReadinessGate(Map.of("support", new ReadinessGate.Declared(ops, true, 5.0)), store);
 * Readiness.Scorecard card = gate.scorecard("support", "2");
 * }</pre>
 */
public final class ReadinessGate {
    private final Map<String, Declared> declared;
    private final EvidenceStore evidence;
    private final Clock clock;
    private final LiveDrift drift;

    /**
     * What a model declares that the gate reads.
     *
     * @param operations its operations metadata, or null when it declares neither owner nor operations
     * @param retentionDeclared whether it declares a retention policy
     * @param expectedLoadRps the load it expects in production, or null when not declared
     */
    public record Declared(
            @Nullable Operations operations,
            boolean retentionDeclared,
            @Nullable Double expectedLoadRps) {}

    /**
     * @param declared per model, what it declares; a model not in it has no scorecard
     * @param evidence where drills, load tests, evaluations and waivers are recorded
     */
    public ReadinessGate(Map<String, Declared> declared, EvidenceStore evidence) {
        this(declared, evidence, Clock.systemUTC());
    }

    /** The same, with the clock that decides which waivers have expired. */
    public ReadinessGate(Map<String, Declared> declared, EvidenceStore evidence, Clock clock) {
        this(declared, evidence, clock, LiveDrift.NOT_WATCHED);
    }

    /** The same, reading live drift against {@code thresholds.drift} through {@code drift}. */
    public ReadinessGate(Map<String, Declared> declared, EvidenceStore evidence, Clock clock, LiveDrift drift) {
        this.declared = new LinkedHashMap<>(declared);
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.drift = Objects.requireNonNull(drift, "drift");
    }

    /** Live drift matters only where a drift threshold is declared; reading it costs a profile merge. */
    private LiveDrift.Reading liveDrift(String model, @Nullable String version, Declared m) {
        Operations ops = m.operations();
        if (ops == null || ops.thresholds() == null || ops.thresholds().drift() == null) {
            return new LiveDrift.NotWatched();
        }
        return drift.read(model, version);
    }

    /** The models the gate knows, in the order they were declared. */
    public Set<String> models() {
        return declared.keySet();
    }

    /**
     * The scorecard of one version (the evidence gathered on it), or of the model when {@code version} is null.
     *
     * @throws IllegalArgumentException for a model the gate does not know
     */
    public Readiness.Scorecard scorecard(String model, @Nullable String version) {
        Declared m = declared.get(model);
        if (m == null) {
            throw new IllegalArgumentException("no model '" + model + "'; declared: " + declared.keySet());
        }
        return Readiness.evaluate(
                model,
                version,
                new Readiness.Evidence(
                        m.operations(),
                        m.retentionDeclared(),
                        m.expectedLoadRps(),
                        evidence.drills(model),
                        evidence.loadTests(model),
                        evidence.evaluations(model),
                        evidence.waivers(model).stream()
                                .filter(w -> w.covers(version, clock.instant()))
                                .toList()),
                liveDrift(model, version, m));
    }
}
