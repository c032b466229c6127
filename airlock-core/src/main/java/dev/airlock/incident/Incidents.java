package dev.airlock.incident;

import dev.airlock.alert.Alert;
import dev.airlock.alert.AlertChange;
import dev.airlock.alert.AlertStore;
import dev.airlock.alert.Notification;
import dev.airlock.alert.Route;
import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.decision.DecisionIds;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.time.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incidents of an installation. A firing alert opens an incident for its model, naming the owner and the runbook, or
 * joins the model's incident already open (the installation's own alerts share one installation incident). People
 * acknowledge, assign, note and resolve it; resolving needs a {@link PostIncident} record. The timeline is read
 * together from the incident's own entries, its alerts' history and notifications, and the model's deployment changes
 * around it. Every change is audited. A model that declares it is rolled back automatically when an incident opens
 * from its latency, error rate or drift on a production version promoted recently: once per incident.
 *
 * <pre>{@code
 * Incidents incidents = new Incidents(store.incidentStore(), store.alertStore(), store.deploymentStore(),
 *         Set.of("loan-risk"), routes, trail, time).rollingBack(desk, model -> policy);
 * alerts.onFiring(incidents::onFiring);
 * switch (incidents.resolve(id, "upstream timeout", "rolled back", List.of("alert on p95"), "key:ops")) { ... }
 * }</pre>
 */
public final class Incidents {
    private static final Logger LOG = LoggerFactory.getLogger(Incidents.class);
    private static final String ACTOR = "airlock";

    /** How long before an incident opened a deployment change still belongs to its timeline. */
    public static final Duration AROUND = Duration.ofHours(1);

    /** The longest note, cause or action kept; longer text is refused. */
    public static final int MAX_TEXT = 10_000;

    /** The rules whose firing may roll a recently promoted version back: what a bad version breaks. */
    private static final Set<String> ROLLBACK_RULES = Set.of("latency_p99_ms", "error_rate", "drift");

    /**
     * Whether a model's incidents roll it back automatically.
     *
     * @param window how recently the production version must have been promoted for its incident to roll it back
     */
    public record AutoRollback(boolean enabled, Duration window) {
        public static final AutoRollback OFF = new AutoRollback(false, Duration.ZERO);
    }

    /** What acknowledging, assigning, noting or resolving came to. */
    public sealed interface Result {
        /** Done; {@code incident} is as it is now. */
        record Done(Incident incident) implements Result {}

        record NotFound(String id) implements Result {}

        /** The incident's state does not allow it (resolved already, acknowledged already, changed meanwhile). */
        record Conflict(Incident incident, String message) implements Result {}

        /** What was given is missing or unusable: {@code field} names it, {@code message} says what was expected. */
        record Invalid(String field, String message) implements Result {}
    }

    private final IncidentStore store;
    private final AlertStore alerts;
    private final DeploymentStore deployments;
    private final Set<String> models;
    private final Function<String, Route> routes;
    private final AdminEvents audit;
    private final Time time;
    private @Nullable DeploymentDesk desk;
    private Function<String, AutoRollback> rollbacks = model -> AutoRollback.OFF;

    /**
     * @param models the declared models: their alerts open incidents of their own; any other subject's (breakers,
     *     budgets, audit) join the installation's incident
     * @param routes a model's owner and runbook
     */
    public Incidents(
            IncidentStore store,
            AlertStore alerts,
            DeploymentStore deployments,
            Set<String> models,
            Function<String, Route> routes,
            AdminEvents audit,
            Time time) {
        this.store = Objects.requireNonNull(store, "store");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.models = Set.copyOf(models);
        this.routes = Objects.requireNonNull(routes, "routes");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Lets incidents roll back a model whose {@code policies} entry is enabled, through {@code desk} (so the rollback
     * is the same use case a person runs, audited alike). Returns this.
     */
    public synchronized Incidents rollingBack(DeploymentDesk desk, Function<String, AutoRollback> policies) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.rollbacks = Objects.requireNonNull(policies, "policies");
        return this;
    }

    /**
     * Takes a firing alert into an incident: the subject's unresolved incident if there is one, else a new one. An
     * alert already taken is left alone, so this may hear of the same alert at every evaluation.
     */
    public synchronized void onFiring(Alert alert) {
        if (alert.state() != Alert.State.FIRING
                || store.incidentOfAlert(alert.id()).isPresent()) {
            return;
        }
        Instant now = time.clock().instant();
        String subject = models.contains(alert.model()) ? alert.model() : Incident.INSTALLATION;
        Optional<Incident> open = store.unresolvedIncident(subject);
        Incident incident;
        if (open.isPresent()) {
            incident = open.get();
            if (!store.linkAlert(incident.id(), alert.id(), now)) {
                return;
            }
            record(incident, now, "alert.joined", ACTOR, alert.summary(), alert.id());
            audit.record(AdminAction.INCIDENT_ALERT_JOINED, null, ACTOR, incident.id(), alertDetails(alert));
        } else {
            incident = opened(alert, subject, now);
        }
        try {
            rollBackIfDeclared(incident, alert, now);
        } catch (RuntimeException e) {
            LOG.error("automatic rollback of {} for incident {} failed", alert.model(), incident.id(), e);
        }
    }

    private Incident opened(Alert alert, String subject, Instant now) {
        Route route = routes.apply(alert.model());
        boolean model = !subject.equals(Incident.INSTALLATION);
        Incident incident = Incident.open(
                DecisionIds.next(now.toEpochMilli()),
                subject,
                model ? alert.version() : "",
                alert.summary(),
                model ? route.owner() : Incident.INSTALLATION,
                route.runbook(),
                now);
        store.insertIncident(incident);
        store.linkAlert(incident.id(), alert.id(), now);
        record(incident, now, "opened", ACTOR, alert.summary(), alert.id());
        Map<String, String> details = alertDetails(alert);
        details.put("subject", subject);
        details.put("owner", incident.owner());
        details.put("runbook", incident.runbook());
        audit.record(AdminAction.INCIDENT_OPENED, null, ACTOR, incident.id(), details);
        LOG.warn("incident {} opened for {}: {}", incident.id(), subject, alert.summary());
        return incident;
    }

    /** Rolls the model back when it declares so and the alert is about its recently promoted production version. */
    private void rollBackIfDeclared(Incident incident, Alert alert, Instant now) {
        DeploymentDesk d = desk;
        if (d == null || incident.subject().equals(Incident.INSTALLATION) || !ROLLBACK_RULES.contains(alert.rule())) {
            return;
        }
        AutoRollback policy = rollbacks.apply(incident.subject());
        if (!policy.enabled()
                || store.entries(incident.id()).stream().anyMatch(e -> e.kind().startsWith("rollback"))) {
            return; // not declared, or this incident already tried: once per incident, never a loop
        }
        String model = incident.subject();
        if (!alert.version().equals(d.deployments().current(model).production())) {
            return;
        }
        Optional<DeploymentChange> promoted = d.deployments().history(model).stream()
                .filter(c -> c.action().equals("promoted") && alert.version().equals(c.to()))
                .reduce((first, second) -> second);
        if (promoted.isEmpty() || promoted.get().at().isBefore(now.minus(policy.window()))) {
            return;
        }
        String reason = "incident " + incident.id() + ": " + alert.summary();
        Map<String, String> details = alertDetails(alert);
        details.put("promoted_at", promoted.get().at().toString());
        switch (d.rollback(model, ACTOR, reason)) {
            case DeploymentDesk.Changed c -> {
                String text = "rolled back automatically: production "
                        + c.change().from() + " -> " + c.change().to();
                record(incident, now, "rollback", ACTOR, text, c.change().id());
                details.put("from", String.valueOf(c.change().from()));
                details.put("to", String.valueOf(c.change().to()));
                audit.record(AdminAction.INCIDENT_ROLLED_BACK, null, ACTOR, incident.id(), details);
                LOG.warn("incident {}: {} {}", incident.id(), model, text);
            }
            case DeploymentDesk.Rejected r -> {
                String why =
                        Objects.requireNonNullElse(r.message(), r.getClass().getSimpleName());
                record(incident, now, "rollback.refused", ACTOR, "automatic rollback refused: " + why, null);
                details.put("error", why);
                audit.record(AdminAction.INCIDENT_ROLLBACK_REFUSED, null, ACTOR, incident.id(), details);
                LOG.error("incident {}: automatic rollback of {} refused: {}", incident.id(), model, why);
            }
        }
    }

    /** Acknowledges an open incident: somebody is on it. Audited. */
    public synchronized Result acknowledge(String id, String actor) {
        Optional<Incident> found = store.findIncident(id);
        if (found.isEmpty()) {
            return new Result.NotFound(id);
        }
        Incident i = found.get();
        if (i.state() != Incident.State.OPEN) {
            return new Result.Conflict(
                    i,
                    "incident " + id + " is " + i.state().id()
                            + (i.acknowledgedBy() == null ? "" : " (acknowledged by " + i.acknowledgedBy() + ")")
                            + "; only an open incident can be acknowledged");
        }
        Instant now = time.clock().instant();
        return changed(i, i.acknowledged(actor, now), now, "acknowledged", actor, "acknowledged by " + actor)
                .orElseGet(() -> {
                    audit.record(AdminAction.INCIDENT_ACKNOWLEDGED, null, actor, id, Map.of("subject", i.subject()));
                    return new Result.Done(find(id).orElseThrow());
                });
    }

    /** Assigns an unresolved incident to somebody (again, if it was). Audited. */
    public synchronized Result assign(String id, @Nullable String assignee, String actor) {
        if (assignee == null || assignee.isBlank() || assignee.length() > 200) {
            return new Result.Invalid(
                    "assignee", "'assignee' must name who works on it (1 to 200 characters), e.g. jane@example.com");
        }
        Optional<Incident> found = store.findIncident(id);
        if (found.isEmpty()) {
            return new Result.NotFound(id);
        }
        Incident i = found.get();
        if (!i.unresolved()) {
            return new Result.Conflict(i, "incident " + id + " is resolved; a resolved incident is not assigned");
        }
        String to = assignee.strip();
        Instant now = time.clock().instant();
        return changed(i, i.assigned(to, now), now, "assigned", actor, "assigned to " + to)
                .orElseGet(() -> {
                    audit.record(
                            AdminAction.INCIDENT_ASSIGNED,
                            null,
                            actor,
                            id,
                            Map.of("subject", i.subject(), "assignee", to));
                    return new Result.Done(find(id).orElseThrow());
                });
    }

    /** The timeline kind of a note taken after the incident was resolved. */
    public static final String POST_INCIDENT_NOTE = "post_incident_note";

    /**
     * Adds a note to the timeline, also after the incident was resolved (what was learnt later belongs to its record):
     * then marked as a {@link #POST_INCIDENT_NOTE}. Audited, with {@code after_resolve}.
     */
    public synchronized Result note(String id, @Nullable String text, String actor) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            return new Result.Invalid("text", "'text' must be a note of 1 to " + MAX_TEXT + " characters");
        }
        Optional<Incident> found = store.findIncident(id);
        if (found.isEmpty()) {
            return new Result.NotFound(id);
        }
        Instant now = time.clock().instant();
        // after resolve a note is still taken (what was learnt later belongs to the record), marked as post-incident
        boolean after = found.get().state() == Incident.State.RESOLVED;
        record(found.get(), now, after ? POST_INCIDENT_NOTE : "note", actor, text.strip(), null);
        audit.record(
                AdminAction.INCIDENT_NOTED,
                null,
                actor,
                id,
                Map.of("text", text.strip(), "after_resolve", Boolean.toString(after)));
        return new Result.Done(found.get());
    }

    /**
     * Resolves an unresolved incident with its post-incident record: the cause and the action are required, the
     * follow-ups may be empty. Audited with the record.
     */
    public synchronized Result resolve(
            String id, @Nullable String cause, @Nullable String action, List<String> followUps, String actor) {
        if (cause == null || cause.isBlank() || cause.length() > MAX_TEXT) {
            return new Result.Invalid(
                    "cause",
                    "'cause' is required to resolve an incident: what made it happen (1 to " + MAX_TEXT
                            + " characters)");
        }
        if (action == null || action.isBlank() || action.length() > MAX_TEXT) {
            return new Result.Invalid(
                    "action",
                    "'action' is required to resolve an incident: what was done to end it (1 to " + MAX_TEXT
                            + " characters)");
        }
        for (int n = 0; n < followUps.size(); n++) {
            String f = followUps.get(n);
            if (f.isBlank() || f.length() > MAX_TEXT) {
                return new Result.Invalid(
                        "follow_ups[" + n + "]", "'follow_ups[" + n + "]' must be 1 to " + MAX_TEXT + " characters");
            }
        }
        Optional<Incident> found = store.findIncident(id);
        if (found.isEmpty()) {
            return new Result.NotFound(id);
        }
        Incident i = found.get();
        if (!i.unresolved()) {
            return new Result.Conflict(i, "incident " + id + " was resolved already by " + i.resolvedBy());
        }
        var record = new PostIncident(
                cause.strip(),
                action.strip(),
                followUps.stream().map(String::strip).toList());
        Instant now = time.clock().instant();
        String text = "cause: " + record.cause() + "; action: " + record.action() + "; follow-ups: "
                + (record.followUps().isEmpty() ? "none" : String.join("; ", record.followUps()));
        return changed(i, i.resolved(record, actor, now), now, "resolved", actor, text)
                .orElseGet(() -> {
                    audit.record(
                            AdminAction.INCIDENT_RESOLVED,
                            null,
                            actor,
                            id,
                            Map.of(
                                    "subject", i.subject(),
                                    "cause", record.cause(),
                                    "action", record.action(),
                                    "follow_ups", String.join("\n", record.followUps())));
                    return new Result.Done(find(id).orElseThrow());
                });
    }

    /** Stores {@code after} over {@code before}; a conflict when somebody changed it meanwhile, else empty. */
    private Optional<Result> changed(
            Incident before, Incident after, Instant now, String kind, String actor, String text) {
        if (!store.updateIncident(after, before.updatedAt())) {
            return Optional.of(new Result.Conflict(
                    store.findIncident(before.id()).orElse(before),
                    "incident " + before.id() + " was changed meanwhile; read it again and retry"));
        }
        record(after, now, kind, actor, text, null);
        return Optional.empty();
    }

    private void record(Incident incident, Instant at, String kind, String actor, String text, @Nullable String ref) {
        store.recordEntry(new IncidentEntry(incident.id(), at, kind, actor, text, ref));
    }

    private static Map<String, String> alertDetails(Alert a) {
        Map<String, String> d = new HashMap<>();
        d.put("alert", a.id());
        d.put("rule", a.rule());
        d.put("model", a.model());
        d.put("version", a.version());
        d.put("summary", a.summary());
        return d;
    }

    /** The latest opened first, of one state or any. */
    public List<Incident> list(Incident.@Nullable State state, int limit) {
        return store.incidents(state, limit);
    }

    public Optional<Incident> find(String id) {
        return store.findIncident(id);
    }

    /** Incidents open or acknowledged, for the {@code airlock_incidents_open} gauge. */
    public long countUnresolved() {
        return store.countUnresolved();
    }

    /** The ids of the alerts an incident took, in order. */
    public List<String> alertsOf(String id) {
        return store.alertsOf(id);
    }

    /**
     * An incident's timeline, oldest first: its own entries (opened, alerts joined, acknowledged, assigned, notes,
     * automatic rollback, resolved), each linked alert's changes and notifications, and the model's deployment changes
     * from {@link #AROUND} before it opened until it was resolved. Empty when there is no such incident.
     */
    public Optional<List<IncidentEntry>> timeline(String id) {
        Optional<Incident> found = store.findIncident(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Incident incident = found.get();
        List<IncidentEntry> all = new ArrayList<>(store.entries(id));
        for (String alertId : store.alertsOf(id)) {
            String about = alerts.findAlert(alertId).map(Alert::summary).orElse(alertId);
            for (AlertChange c : alerts.changes(alertId)) {
                all.add(new IncidentEntry(id, c.at(), "alert." + c.to(), c.actor(), about, alertId));
            }
            for (Notification n : alerts.notifications(alertId)) {
                entryOf(id, n).ifPresent(all::add);
            }
        }
        if (!incident.subject().equals(Incident.INSTALLATION)) {
            Instant from = incident.openedAt().minus(AROUND);
            Instant until = incident.resolvedAt();
            for (DeploymentChange c : deployments.deploymentChanges(incident.subject())) {
                if (!c.at().isBefore(from) && (until == null || !c.at().isAfter(until))) {
                    String text = c.from() + " -> " + c.to() + (c.reason().isEmpty() ? "" : ": " + c.reason());
                    all.add(new IncidentEntry(id, c.at(), "deployment." + c.action(), c.actor(), text, c.id()));
                }
            }
        }
        all.sort(Comparator.comparing(IncidentEntry::at)); // stable: recorded order within one instant
        return Optional.of(List.copyOf(all));
    }

    private static Optional<IncidentEntry> entryOf(String incidentId, Notification n) {
        String to = n.stage().id() + " via " + n.channel() + " to " + String.join(", ", n.recipients());
        if (n.status() == Notification.Status.SENT && n.sentAt() != null) {
            return Optional.of(new IncidentEntry(incidentId, n.sentAt(), "notification.sent", ACTOR, to, n.id()));
        }
        if (n.status() == Notification.Status.DEAD) {
            String why = to + ": " + Objects.requireNonNullElse(n.lastError(), "failed");
            return Optional.of(
                    new IncidentEntry(incidentId, n.nextAttemptAt(), "notification.dead", ACTOR, why, n.id()));
        }
        return Optional.empty();
    }
}
