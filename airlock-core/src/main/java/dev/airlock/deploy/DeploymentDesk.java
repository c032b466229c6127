package dev.airlock.deploy;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.pipeline.Resolve;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.Readiness;
import dev.airlock.readiness.ReadinessGate;
import dev.airlock.readiness.Waiver;
import dev.airlock.registry.ModelCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Every change to a deployment, whole: each use case checks what it is given, makes the change, records it and says
 * what came of it as a closed result. Promotion runs the readiness gate itself, so the HTTP API, the command line and
 * an embedding application all promote behind it; a waiver is recorded as evidence and audited in the same call.
 *
 * <pre>{@code
 * switch (desk.promote("support", "2", "key:oper1", "better answers")) {
 *     case DeploymentDesk.Promoted p -> System.out.println("production: " + p.deployment().production());
 *     case DeploymentDesk.NotReady n -> System.out.println("missing: " + n.missing());
 *     case DeploymentDesk.Rejected r -> System.out.println(r.message());
 * }
 * }</pre>
 */
public final class DeploymentDesk {
    /** A waiver's justification is kept in the audit log; it must say something. */
    public static final int MIN_JUSTIFICATION = 10;

    private final Deployments deployments;
    private final ReadinessGate gate;
    private final EvidenceStore evidence;
    private final AdminEvents events;
    private final Clock clock;
    private final ServingCheck serving;

    DeploymentDesk(
            Deployments deployments,
            ReadinessGate gate,
            EvidenceStore evidence,
            ServedVersions served,
            AdminEvents events,
            Clock clock) {
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serving = new ServingCheck(served, events, clock);
    }

    /** What a promotion came to. */
    public sealed interface Promotion permits Promoted, NotReady, Rejected {}

    /** What a rollback, a canary, a shadow or an alias change came to. */
    public sealed interface Change permits Changed, Rejected {}

    /** What asking for a scorecard came to. */
    public sealed interface Scoring permits Scored, UnknownModel, UnknownVersion {}

    /** What a waiver came to. */
    public sealed interface Waiving
            permits Waived, UnknownModel, UnknownVersion, UnknownCheck, NoJustification, BadExpiry {}

    /**
     * The version is production now; {@code deployment} is the model's deployment after the change. {@code warnings}
     * say what the operator should know (no live node to check against, or live nodes that cannot serve a forced
     * version); empty when every live node serves it.
     */
    public record Promoted(DeploymentChange change, Deployment deployment, List<String> warnings) implements Promotion {
        public Promoted {
            warnings = List.copyOf(warnings);
        }

        public Promoted(DeploymentChange change, Deployment deployment) {
            this(change, deployment, List.of());
        }
    }

    /** The readiness gate refused: {@link #missing()} says what evidence (or waiver) is missing. */
    public record NotReady(Readiness.Scorecard scorecard) implements Promotion {
        public List<Readiness.Result> missing() {
            return scorecard.missing();
        }
    }

    /** The change was made; {@code deployment} is the model's deployment after it; {@code warnings} as in Promoted. */
    public record Changed(DeploymentChange change, Deployment deployment, List<String> warnings) implements Change {
        public Changed {
            warnings = List.copyOf(warnings);
        }

        public Changed(DeploymentChange change, Deployment deployment) {
            this(change, deployment, List.of());
        }

        Changed warning(List<String> more) {
            return more.isEmpty() ? this : new Changed(change, deployment, more);
        }
    }

    /**
     * Deploying anyway a version that some live node cannot serve: allowed only with a justification of at least
     * {@link #MIN_JUSTIFICATION} characters, kept in the audit log ({@code deployment.forced}).
     */
    public record Force(@Nullable String justification) {}

    /** Nothing was changed, and why: the request names something unknown, or the state does not allow it. */
    public sealed interface Rejected extends Promotion, Change {
        String message();
    }

    /** No such model is declared. */
    public record UnknownModel(String model, List<String> declared) implements Rejected, Scoring, Waiving {
        @Override
        public String message() {
            return "no model '" + model + "'; declared: " + declared;
        }
    }

    /** The model declares no such version. */
    public record UnknownVersion(String model, String version, List<String> declared)
            implements Rejected, Scoring, Waiving {
        @Override
        public String message() {
            return "model " + model + " has no version '" + version + "'; declared: " + declared;
        }
    }

    /** The request cannot be made as given (a version already production, a share out of range, a bad alias). */
    public record Invalid(@Nullable String message) implements Rejected {}

    /** The deployment's state does not allow it (nothing to roll back to, no canary running, changed meanwhile). */
    public record Conflict(@Nullable String message) implements Rejected {}

    /**
     * Live nodes cannot serve the version: pointing traffic at it would answer 404 on them. {@code lacking} are the live
     * nodes that cannot, {@code live} all live nodes with what they serve.
     */
    public record Unservable(String model, String version, List<ServingNode> lacking, List<ServingNode> live)
            implements Rejected {
        @Override
        public String message() {
            return ServingCheck.refusal(model, version, lacking, live);
        }
    }

    /** The scorecard of a model, or of one of its versions. */
    public record Scored(Readiness.Scorecard scorecard) implements Scoring {}

    /** The waiver is recorded as evidence and audited; {@code scorecard} is the model's scorecard with it. */
    public record Waived(Waiver waiver, Readiness.Scorecard scorecard) implements Waiving {}

    /** No such readiness check. */
    public record UnknownCheck(@Nullable String message) implements Waiving {}

    /** The justification is missing or shorter than {@link #MIN_JUSTIFICATION} characters. */
    public record NoJustification() implements Waiving {}

    /** The expiry is not in the future, or further than {@link Waiver#MAX_TERM} away. */
    public record BadExpiry(String message) implements Waiving {}
    /**
     * The resolve stage by these deployments: a model's name reaches its production version, or its canary for the
     * canary's share of calls; {@code model@alias} or {@code model@version} pins a version of the catalog.
     */
    public Resolve resolveStage(ModelCatalog catalog) {
        return nodeServing(catalog).resolveStage();
    }

    /**
     * A node's view of these deployments over the versions its catalog serves: its resolve stage, and what it cannot
     * follow (see {@link NodeServing}).
     */
    public NodeServing nodeServing(ModelCatalog catalog) {
        return new NodeServing(catalog, deployments, clock);
    }

    /** The deployments, to read: which versions serve, their history, the declared versions. */
    public Deployments deployments() {
        return deployments;
    }

    /**
     * Makes {@code version} the model's production version if the readiness gate passes for it (its own evidence, or
     * waivers); a canary of that version ends.
     */
    public Promotion promote(String model, String version, String actor, @Nullable String reason) {
        return promote(model, version, actor, reason, null);
    }

    /**
     * The same; when live nodes cannot serve {@code version} it is refused ({@link Unservable}) unless {@code force}
     * says why to go on (audited), and those nodes keep serving the version before until they can.
     */
    public Promotion promote(
            String model, String version, String actor, @Nullable String reason, @Nullable Force force) {
        if (!declares(model)) {
            return unknown(model);
        }
        if (!deployments.versions(model).contains(version)) {
            return new UnknownVersion(model, version, deployments.versions(model));
        }
        Readiness.Scorecard card = gate.scorecard(model, version);
        if (!card.ready()) {
            return new NotReady(card);
        }
        return switch (checked(
                model, version, force, actor, "promote", () -> deployments.promote(model, version, actor, reason))) {
            case Changed c -> new Promoted(c.change(), c.deployment(), c.warnings());
            case Rejected r -> r;
        };
    }

    /** Returns production to the version before the last promotion, and ends any canary. */
    public Change rollback(String model, String actor, @Nullable String reason) {
        return change(model, () -> deployments.rollback(model, actor, reason));
    }

    /** Sends {@code share} (in (0, 1)) of the model's production traffic to {@code version}. */
    public Change startCanary(String model, String version, double share, String actor) {
        return startCanary(model, version, share, actor, null);
    }

    /** The same, refused when live nodes cannot serve {@code version} unless forced (see {@link #promote}). */
    public Change startCanary(String model, String version, double share, String actor, @Nullable Force force) {
        return checked(
                model, version, force, actor, "canary", () -> deployments.startCanary(model, version, share, actor));
    }

    /** Ends the model's canary by hand: all traffic goes to production again. */
    public Change stopCanary(String model, String actor) {
        return change(model, () -> {
            DeploymentChange stopped = deployments.endCanary(model, actor, "stopped by hand", false);
            if (stopped == null) {
                throw new IllegalStateException(model + " has no canary running");
            }
            return stopped;
        });
    }

    /** Sends a copy of the model's production traffic to {@code version}; its answers are compared, never returned. */
    public Change startShadow(String model, String version, String actor) {
        return startShadow(model, version, actor, null);
    }

    /** The same, refused when live nodes cannot serve {@code version} unless forced (see {@link #promote}). */
    public Change startShadow(String model, String version, String actor, @Nullable Force force) {
        Objects.requireNonNull(version, "version");
        return checked(model, version, force, actor, "shadow", () -> deployments.shadow(model, version, actor));
    }

    /** Stops the model's shadow copy. */
    public Change stopShadow(String model, String actor) {
        return change(model, () -> deployments.shadow(model, null, actor));
    }

    /** Points an alias at a version ({@code production}, {@code canary} and {@code shadow} move by their use cases). */
    public Change setAlias(String model, String alias, @Nullable String version, String actor) {
        return change(model, () -> deployments.alias(model, alias, Objects.requireNonNull(version, "version"), actor));
    }

    /** Removes an alias. */
    public Change removeAlias(String model, String alias, String actor) {
        return change(model, () -> deployments.alias(model, alias, null, actor));
    }

    /** The readiness scorecard of one version (the evidence gathered on it), or of the model when version is null. */
    public Scoring scorecard(String model, @Nullable String version) {
        if (!declares(model)) {
            return unknown(model);
        }
        if (version != null && !deployments.versions(model).contains(version)) {
            return new UnknownVersion(model, version, deployments.versions(model));
        }
        return new Scored(gate.scorecard(model, version));
    }

    /**
     * Accepts a failed readiness check of one version of a model until {@code until} (default: {@link
     * Waiver#DEFAULT_TERM} from now): the waiver (who, why, when, for which version, until when) is recorded as
     * evidence and the audit log gets a {@code readiness.waived} event. It counts on that version's scorecard only.
     * A null {@code version} means the model's production version now. The justification is kept stripped.
     */
    public Waiving waive(
            String model,
            @Nullable String version,
            String check,
            @Nullable String justification,
            @Nullable Instant until,
            String actor) {
        if (!declares(model)) {
            return unknown(model);
        }
        String waived = version != null ? version : deployments.current(model).production();
        if (!deployments.versions(model).contains(waived)) {
            return new UnknownVersion(model, waived, deployments.versions(model));
        }
        Readiness.Check parsed;
        try {
            parsed = Readiness.Check.parse(check);
        } catch (IllegalArgumentException e) {
            return new UnknownCheck(e.getMessage());
        }
        if (justification == null || justification.strip().length() < MIN_JUSTIFICATION) {
            return new NoJustification();
        }
        Instant now = clock.instant();
        Instant expires = until != null ? until : now.plus(Waiver.DEFAULT_TERM);
        if (!expires.isAfter(now) || expires.isAfter(now.plus(Waiver.MAX_TERM))) {
            return new BadExpiry("a waiver's expiry must be after now (" + now + ") and at most "
                    + Waiver.MAX_TERM.toDays() + " days away; got " + expires);
        }
        var waiver = new Waiver(model, waived, parsed.id(), justification.strip(), actor, now, expires);
        evidence.recordWaiver(waiver);
        events.record(
                AdminAction.READINESS_WAIVED,
                null,
                actor,
                model,
                Map.of(
                        "check", parsed.id(),
                        "justification", waiver.justification(),
                        "version", waived,
                        "expires_at", expires.toString()));
        return new Waived(waiver, gate.scorecard(model, waived));
    }

    /**
     * Makes a change that sends traffic to {@code version}, once the live nodes can serve it (or it is forced); a
     * forced change is audited once it is made.
     */
    private Change checked(
            String model,
            String version,
            @Nullable Force force,
            String actor,
            String use,
            Supplier<DeploymentChange> action) {
        if (!declares(model) || !deployments.versions(model).contains(version)) {
            return change(model, action); // unknown model or version: the same refusal as ever
        }
        return switch (serving.check(model, version, force)) {
            case ServingCheck.Refused refused -> refused.rejected();
            case ServingCheck.Servable servable ->
                switch (change(model, action)) {
                    case Changed c -> {
                        servable.afterChange().accept(actor, use);
                        yield c.warning(servable.warnings());
                    }
                    case Rejected r -> r;
                };
        };
    }

    /** Makes a change, turning the refusals of {@link Deployments} into results. */
    private Change change(String model, Supplier<DeploymentChange> action) {
        if (!declares(model)) {
            return unknown(model);
        }
        try {
            DeploymentChange made = action.get();
            return new Changed(made, deployments.current(model));
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        } catch (IllegalStateException e) {
            return new Conflict(e.getMessage());
        }
    }

    private boolean declares(String model) {
        return gate.models().contains(model);
    }

    private UnknownModel unknown(String model) {
        return new UnknownModel(model, List.copyOf(gate.models()));
    }
}
