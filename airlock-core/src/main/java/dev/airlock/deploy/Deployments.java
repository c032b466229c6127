package dev.airlock.deploy;

import dev.airlock.decision.DecisionIds;
import dev.airlock.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The deployments of every model: which version is production, which is canary or shadow, and the history that
 * one-command rollback reads. State lives in the shared store; each node re-reads it when it is older than {@code
 * refresh}, so a change made on one node (or by the CLI) reaches every node within that bound. Every change is saved
 * with its history row and handed to the listener (which appends it to the audit log).
 *
 * <p>Changes are made through {@link DeploymentDesk}, which runs the readiness gate before a promotion; here they are
 * package-private so that no caller can move production around it.
 *
 * <pre>{@code
 * Deployments deployments = registry.desk(store, store, store, events, clock, Duration.ofSeconds(2)).deployments();
 * Deployment now = deployments.current("support-chat");
 * }</pre>
 */
public final class Deployments {
    private final Map<String, List<String>> versions;
    private final Map<String, Deployment> declared;
    private final DeploymentStore store;
    private final Clock clock;
    private final Ticker ticker;
    private final long refreshNanos;
    private final Consumer<DeploymentChange> listener;
    private final AtomicLong loadedAt = new AtomicLong(Long.MIN_VALUE);
    private volatile Map<String, Deployment> stored = Map.of();

    /**
     * @param declared per model, the deployment the configuration declares: its default version in production and
     *     any aliases; used until a change is stored
     * @param versions per model, every declared version
     */
    public Deployments(
            Map<String, Deployment> declared,
            Map<String, List<String>> versions,
            DeploymentStore store,
            Clock clock,
            Duration refresh,
            Consumer<DeploymentChange> listener) {
        this(declared, versions, store, clock, Ticker.system(), refresh, listener);
    }

    /**
     * The same, with the ticker that times {@code refresh} (a test passes {@code FakeTime.ticker()}).
     *
     * @param clock dates the changes
     */
    public Deployments(
            Map<String, Deployment> declared,
            Map<String, List<String>> versions,
            DeploymentStore store,
            Clock clock,
            Ticker ticker,
            Duration refresh,
            Consumer<DeploymentChange> listener) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.declared = Map.copyOf(declared);
        this.versions = Map.copyOf(versions);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshNanos = refresh.toNanos();
        this.listener = listener == null ? change -> {} : listener;
        reload();
    }

    /** A model's deployment as of at most {@code refresh} ago. */
    public Deployment current(String model) {
        long now = ticker.read();
        long last = loadedAt.get();
        if (now - last > refreshNanos && loadedAt.compareAndSet(last, now)) {
            reload();
        }
        return stateOf(stored, model);
    }

    /** Every declared model's deployment, in no particular order. */
    public List<Deployment> all() {
        reload();
        return declared.keySet().stream().sorted().map(m -> stateOf(stored, m)).toList();
    }

    /** A model's changes, oldest first. */
    public List<DeploymentChange> history(String model) {
        requireModel(model);
        return store.deploymentChanges(model);
    }

    /** Versions that the configuration declares for a model, its default first. */
    public List<String> versions(String model) {
        return requireModel(model);
    }

    /**
     * Makes {@code version} production; a canary of that version ends (it is now production). The readiness gate is
     * {@link DeploymentDesk#promote}'s to run first.
     *
     * @throws IllegalArgumentException for an unknown model or version, or the version already in production
     */
    synchronized DeploymentChange promote(String model, String version, String actor, @Nullable String reason) {
        Deployment now = fresh(model);
        requireVersion(model, version);
        if (version.equals(now.production())) {
            throw new IllegalArgumentException("version '" + version + "' of " + model + " is already production");
        }
        Instant at = clock.instant();
        Deployment next = now.withProduction(version, at);
        if (now.canary() != null && now.canary().version().equals(version)) {
            next = next.withCanary(null, at);
        }
        return save(
                next,
                change(
                        model,
                        at,
                        actor,
                        "promoted",
                        now.production(),
                        version,
                        Objects.requireNonNullElse(reason, "")));
    }

    /**
     * Returns production to the version it had before the last promotion to the current one, and ends any canary:
     * new calls are answered by the previous version.
     *
     * @throws IllegalStateException when there is no earlier production version
     */
    synchronized DeploymentChange rollback(String model, String actor, @Nullable String reason) {
        Deployment now = fresh(model);
        String previous = previousProduction(model, now.production());
        if (previous == null) {
            throw new IllegalStateException("nothing to roll back to: version '" + now.production() + "' of " + model
                    + " has been production since it was first deployed");
        }
        if (!requireModel(model).contains(previous)) {
            throw new IllegalStateException("the previous production version '" + previous + "' of " + model
                    + " is no longer declared; declare it again to roll back to it, or promote another version");
        }
        Instant at = clock.instant();
        Deployment next = now.withProduction(previous, at).withCanary(null, at);
        return save(
                next,
                change(
                        model,
                        at,
                        actor,
                        "rolled_back",
                        now.production(),
                        previous,
                        Objects.requireNonNullElse(reason, "")));
    }

    /** Sends {@code share} of the model's production traffic to {@code version}. */
    synchronized DeploymentChange startCanary(String model, String version, double share, String actor) {
        Deployment now = fresh(model);
        requireVersion(model, version);
        if (version.equals(now.production())) {
            throw new IllegalArgumentException("version '" + version + "' of " + model + " is production already");
        }
        Instant at = clock.instant();
        var canary = new Deployment.Canary(version, share);
        String from = now.canary() == null ? null : now.canary().version();
        return save(
                now.withCanary(canary, at),
                change(model, at, actor, "canary.started", from, version, "share " + share));
    }

    /**
     * Ends the model's canary: all traffic goes to production again. {@code automatic} marks the rollback the canary
     * watch makes when the canary breaches a threshold.
     *
     * @return the change, or null when no canary was running (another node or command ended it first)
     */
    synchronized @Nullable DeploymentChange endCanary(String model, String actor, String reason, boolean automatic) {
        Deployment now = fresh(model);
        if (now.canary() == null) {
            return null;
        }
        Instant at = clock.instant();
        String action = automatic ? "canary.rolled_back" : "canary.stopped";
        return save(
                now.withCanary(null, at),
                change(model, at, actor, action, now.canary().version(), null, reason));
    }

    /** Sends a copy of the model's production traffic to {@code version}, or stops it when {@code version} is null. */
    synchronized DeploymentChange shadow(String model, @Nullable String version, String actor) {
        Deployment now = fresh(model);
        if (version != null) {
            requireVersion(model, version);
            if (version.equals(now.production())) {
                throw new IllegalArgumentException(
                        "version '" + version + "' of " + model + " is production; shadow another version");
            }
        } else if (now.shadow() == null) {
            throw new IllegalStateException(model + " has no shadow to stop");
        }
        Instant at = clock.instant();
        String action = version == null ? "shadow.stopped" : "shadow.started";
        return save(now.withShadow(version, at), change(model, at, actor, action, now.shadow(), version, ""));
    }

    /**
     * Points an alias at a version, or removes it when {@code version} is null. {@code production} moves only by
     * promotion and rollback, through the readiness gate.
     */
    synchronized DeploymentChange alias(String model, String alias, @Nullable String version, String actor) {
        Deployment now = fresh(model);
        if (alias.equals(Deployment.PRODUCTION) || alias.equals("canary") || alias.equals("shadow")) {
            throw new IllegalArgumentException(
                    "'" + alias + "' moves by promote, rollback, canary or shadow, not by" + " setting an alias");
        }
        if (!alias.matches("[a-z][a-z0-9_-]{0,39}")) {
            throw new IllegalArgumentException("alias '" + alias + "' must be lower-case letters, digits, - or _");
        }
        if (version != null) {
            requireVersion(model, version);
        }
        Instant at = clock.instant();
        return save(
                now.withAlias(alias, version, at),
                change(model, at, actor, "alias.set", now.aliases().get(alias), version, alias));
    }

    private @Nullable String previousProduction(String model, String current) {
        List<DeploymentChange> changes = new ArrayList<>(store.deploymentChanges(model));
        for (int i = changes.size() - 1; i >= 0; i--) {
            DeploymentChange c = changes.get(i);
            if (c.action().equals("promoted") && current.equals(c.to())) {
                return c.from();
            }
        }
        return null;
    }

    private DeploymentChange save(Deployment next, DeploymentChange change) {
        Deployment before = stateOf(stored, next.model());
        store.saveDeployment(next, change, before.updatedAt());
        Map<String, Deployment> updated = new LinkedHashMap<>(stored);
        updated.put(next.model(), next);
        stored = Map.copyOf(updated);
        listener.accept(change);
        return change;
    }

    private DeploymentChange change(
            String model,
            Instant at,
            String actor,
            String action,
            @Nullable String from,
            @Nullable String to,
            String reason) {
        return new DeploymentChange(DecisionIds.next(at.toEpochMilli()), model, at, actor, action, from, to, reason);
    }

    /** The model's deployment read from the store now, so a change builds on what other nodes did. */
    private Deployment fresh(String model) {
        requireModel(model);
        reload();
        return stateOf(stored, model);
    }

    private void reload() {
        Map<String, Deployment> read = new LinkedHashMap<>();
        for (Deployment d : store.deployments()) {
            read.put(d.model(), d);
        }
        stored = Map.copyOf(read);
        loadedAt.set(ticker.read());
    }

    private Deployment stateOf(Map<String, Deployment> from, String model) {
        Deployment d = from.get(model);
        return d != null
                ? d
                : Objects.requireNonNull(declared.get(model), () -> "model '" + model + "' is not declared");
    }

    private List<String> requireModel(String model) {
        List<String> known = versions.get(model);
        if (known == null) {
            throw new IllegalArgumentException("no model '" + model + "'; declared: "
                    + versions.keySet().stream().sorted().toList());
        }
        return known;
    }

    private void requireVersion(String model, String version) {
        if (!requireModel(model).contains(version)) {
            throw new IllegalArgumentException(
                    "model " + model + " has no version '" + version + "'; declared: " + versions.get(model));
        }
    }
}
