package dev.airlock.alert;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.decision.DecisionIds;
import dev.airlock.time.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts of an installation: each {@link #tick()} reads every signal, moves alerts through pending, firing and
 * resolved, queues notifications to the owner's contact (then, unacknowledged after {@code escalateAfter}, to the
 * escalation list) and delivers what is due, retrying with exponential backoff. Only the node holding the store's
 * lease does this, so nodes sharing PostgreSQL notify once; state lives in the store, so another node takes over
 * where the last one stopped. Every state change and delivery is recorded in the store and audited.
 *
 * <pre>{@code
 * Alerts alerts = new Alerts(store.alertStore(), rules, List.of(latency, budgets), channels, routes, trail, time,
 *         Alerts.Settings.DEFAULTS, "node-a");
 * alerts.tick(); // from a scheduler, every alerts.evaluate_every
 * }</pre>
 */
public final class Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final String ACTOR = "airlock";

    /**
     * How alerts behave.
     *
     * @param escalateAfter how long a firing alert may stay unacknowledged before the escalation list hears of it
     * @param attempts delivery attempts before a notification becomes a dead letter
     * @param backoff the wait after the first failed attempt; doubled after each one, up to {@code maxBackoff}
     * @param lease how long a node's evaluator lease lasts without renewal
     */
    public record Settings(
            Duration escalateAfter, int attempts, Duration backoff, Duration maxBackoff, Duration lease) {
        public static final Settings DEFAULTS = new Settings(
                Duration.ofMinutes(30), 5, Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1));

        public Settings {
            if (attempts < 1) {
                throw new IllegalArgumentException("delivery attempts must be at least 1, not " + attempts);
            }
        }
    }

    /** What acknowledging an alert came to. */
    public sealed interface Acknowledgement {
        record Acknowledged(Alert alert) implements Acknowledgement {}

        record NotFound(String id) implements Acknowledgement {}

        /** Only a firing alert can be acknowledged; this one is pending, resolved or already acknowledged. */
        record NotAcknowledgeable(Alert alert) implements Acknowledgement {}
    }

    private final AlertStore store;
    private final List<Rule> rules;
    private final List<SignalSource> sources;
    private final Map<String, Channel> channels;
    private final Function<String, Route> routes;
    private final AdminEvents audit;
    private final Time time;
    private final Settings settings;
    private final String node;
    private final List<Silence> maintenance;
    private volatile Consumer<Alert> firing = alert -> {};

    /**
     * @param routes who hears about a model's (or installation subject's) alerts
     * @param node this node's name, for the lease
     * @param maintenance silences declared in the configuration (maintenance windows), not stored
     */
    public Alerts(
            AlertStore store,
            List<Rule> rules,
            List<SignalSource> sources,
            List<Channel> channels,
            Function<String, Route> routes,
            AdminEvents audit,
            Time time,
            Settings settings,
            String node,
            List<Silence> maintenance) {
        this.store = store;
        this.rules = List.copyOf(rules);
        this.sources = List.copyOf(sources);
        Map<String, Channel> byName = new HashMap<>();
        channels.forEach(c -> byName.put(c.name(), c));
        this.channels = Map.copyOf(byName);
        this.routes = routes;
        this.audit = audit;
        this.time = time;
        this.settings = settings;
        this.node = node;
        this.maintenance = List.copyOf(maintenance);
    }

    /** The rules evaluated, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * Evaluates every rule and delivers due notifications, if this node holds the lease. Returns whether it did.
     * Safe to call from several threads; one tick runs at a time.
     */
    public synchronized boolean tick() {
        Instant now = time.clock().instant();
        if (!store.holdLease(node, now, settings.lease())) {
            return false;
        }
        evaluate(now);
        deliver(now);
        return true;
    }

    private void evaluate(Instant now) {
        List<Signal> signals = new ArrayList<>();
        boolean complete = true;
        for (SignalSource source : sources) {
            try {
                signals.addAll(source.read(now));
            } catch (RuntimeException e) {
                complete = false;
                LOG.warn("an alert signal source failed; its rules are not evaluated this time", e);
            }
        }
        Map<String, Alert> open = new HashMap<>();
        store.openAlerts().forEach(a -> open.put(key(a.rule(), a.model(), a.version()), a));
        List<Silence> silences = new ArrayList<>(store.silences(now));
        silences.addAll(maintenance);
        for (Rule rule : rules) {
            for (Signal s : signals) {
                if (rule.reads(s)) {
                    Alert before = open.remove(key(rule.name(), s.model(), s.version()));
                    judge(rule, s, before, now, silences);
                }
            }
        }
        // an open alert whose signal is gone (no calls in the window, the subject went away) has cleared; not when a
        // source failed, whose signals are missing for that reason alone
        for (Alert gone : complete ? open.values() : List.<Alert>of()) {
            if (rules.stream().anyMatch(r -> r.name().equals(gone.rule()))) {
                clear(gone, gone.value(), gone.summary(), now);
            }
        }
    }

    private void judge(Rule rule, Signal s, @Nullable Alert before, Instant now, List<Silence> silences) {
        String summary = rule.describe(s);
        if (!rule.breachedBy(s)) {
            if (before != null) {
                clear(before, s.value(), before.summary(), now); // the breach it was about, as notified
            }
            return;
        }
        Alert a = before;
        if (a == null) {
            a = new Alert(
                    DecisionIds.next(now.toEpochMilli()),
                    rule.name(),
                    s.model(),
                    s.version(),
                    Alert.State.PENDING,
                    s.value(),
                    rule.threshold(),
                    summary,
                    now,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    now);
            change(a, null, Alert.State.PENDING.id(), ACTOR, now);
        }
        boolean due = !now.isBefore(a.activeSince().plus(rule.forDuration()));
        Alert.State next = a.state() == Alert.State.FIRING || due ? Alert.State.FIRING : Alert.State.PENDING;
        Alert after = a.with(next, s.value(), summary, now);
        if (a.state() != next) {
            change(after, a.state().id(), next.id(), ACTOR, now);
        }
        after = notifyIfDue(after, now, silences);
        store.saveAlert(after);
        if (after.state() == Alert.State.FIRING) {
            tellFiring(after);
        }
    }

    /**
     * Tells {@code listener} of every firing alert after each evaluation (incidents open from them), on the evaluating
     * node only; it hears of one alert at every tick while it fires, so it must take each once. What it throws is
     * logged, never stops the evaluation. Returns this.
     */
    public Alerts onFiring(Consumer<Alert> listener) {
        this.firing = Objects.requireNonNull(listener, "listener");
        return this;
    }

    private void tellFiring(Alert a) {
        try {
            firing.accept(a);
        } catch (RuntimeException e) {
            LOG.error("the firing listener failed on alert {}; it hears of it again next evaluation", a.id(), e);
        }
    }

    private void clear(Alert a, double value, String summary, Instant now) {
        Alert.State to = a.state() == Alert.State.FIRING ? Alert.State.RESOLVED : Alert.State.INACTIVE;
        Alert after = a.with(to, value, summary, now);
        store.saveAlert(after);
        change(after, a.state().id(), to.id(), ACTOR, now);
        if (a.notifiedAt() != null) {
            Route route = routes.apply(a.model());
            List<String> to2 = new ArrayList<>(route.contact());
            if (a.escalatedAt() != null) {
                to2.addAll(route.escalation());
            }
            queue(after, Notification.Stage.RESOLVED, to2, now);
        }
    }

    /** Queues the owner's notifications once the alert fires, and the escalation when nobody acknowledged it. */
    private Alert notifyIfDue(Alert a, Instant now, List<Silence> silences) {
        if (a.state() != Alert.State.FIRING || silences.stream().anyMatch(s -> s.silences(a, now))) {
            return a;
        }
        Route route = routes.apply(a.model());
        if (a.notifiedAt() == null) {
            queue(a, Notification.Stage.FIRING, route.contact(), now);
            return a.notified(now);
        }
        if (a.acknowledgedAt() == null
                && a.escalatedAt() == null
                && !now.isBefore(a.notifiedAt().plus(settings.escalateAfter()))) {
            queue(a, Notification.Stage.ESCALATION, route.escalation(), now);
            change(a, a.state().id(), "escalated", ACTOR, now);
            audit.record(
                    AdminAction.ALERT_ESCALATED,
                    null,
                    ACTOR,
                    a.id(),
                    Map.of("to", String.join(",", route.escalation())));
            return a.escalated(now);
        }
        return a;
    }

    private void queue(Alert a, Notification.Stage stage, List<String> recipients, Instant now) {
        for (String channel : channels.keySet().stream().sorted().toList()) {
            store.saveNotification(new Notification(
                    DecisionIds.next(now.toEpochMilli()),
                    a.id(),
                    channel,
                    stage,
                    recipients,
                    Notification.Status.PENDING,
                    0,
                    now,
                    null,
                    now,
                    null));
        }
    }

    private void deliver(Instant now) {
        for (Notification n : store.dueNotifications(now, 100)) {
            Channel channel = channels.get(n.channel());
            Optional<Alert> alert = store.findAlert(n.alertId());
            if (channel == null || alert.isEmpty()) {
                store.saveNotification(n.failed("channel '" + n.channel() + "' is no longer configured", now, true));
                continue;
            }
            Alert a = alert.get();
            try {
                channel.deliver(new Channel.Message(a, n.stage(), n.recipients(), routes.apply(a.model())));
                store.saveNotification(n.sent(now));
                audit.record(
                        AdminAction.ALERT_NOTIFIED,
                        null,
                        ACTOR,
                        a.id(),
                        Map.of(
                                "channel",
                                n.channel(),
                                "stage",
                                n.stage().id(),
                                "to",
                                String.join(",", n.recipients())));
            } catch (Channel.DeliveryFailed | RuntimeException e) {
                String why =
                        Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
                boolean dead = n.attempts() + 1 >= settings.attempts();
                store.saveNotification(n.failed(why, now.plus(backoff(n.attempts())), dead));
                if (dead) {
                    LOG.error(
                            "notification {} of alert {} on channel {} is a dead letter after {} attempts: {}",
                            n.id(),
                            a.id(),
                            n.channel(),
                            n.attempts() + 1,
                            why);
                    audit.record(
                            AdminAction.ALERT_DEAD_LETTERED,
                            null,
                            ACTOR,
                            a.id(),
                            Map.of("channel", n.channel(), "stage", n.stage().id(), "error", why));
                } else {
                    LOG.warn(
                            "notification {} on channel {} failed (attempt {}): {}",
                            n.id(),
                            n.channel(),
                            n.attempts() + 1,
                            why);
                }
            }
        }
    }

    /** The wait after attempt {@code failed} (0-based): backoff, doubled each time, capped. */
    Duration backoff(int failed) {
        Duration d = settings.backoff().multipliedBy(1L << Math.min(failed, 30));
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private void change(Alert a, @Nullable String from, String to, String actor, Instant now) {
        store.recordChange(new AlertChange(a.id(), from, to, a.value(), actor, now));
        AdminAction action = switch (to) {
            case "pending" -> AdminAction.ALERT_PENDING;
            case "firing" -> AdminAction.ALERT_FIRING;
            case "resolved" -> AdminAction.ALERT_RESOLVED;
            case "inactive" -> AdminAction.ALERT_INACTIVE;
            default -> null;
        };
        if (action != null) {
            audit.record(
                    action, null, actor, a.id(), Map.of("rule", a.rule(), "model", a.model(), "summary", a.summary()));
        }
    }

    private static String key(String rule, String model, String version) {
        return rule + '\u0000' + model + '\u0000' + version;
    }

    /** Acknowledges a firing alert: its escalation is not sent. Audited. */
    public synchronized Acknowledgement acknowledge(String id, String actor) {
        Optional<Alert> found = store.findAlert(id);
        if (found.isEmpty()) {
            return new Acknowledgement.NotFound(id);
        }
        Alert a = found.get();
        if (a.state() != Alert.State.FIRING || a.acknowledgedAt() != null) {
            return new Acknowledgement.NotAcknowledgeable(a);
        }
        Instant now = time.clock().instant();
        Alert after = a.acknowledged(actor, now);
        store.saveAlert(after);
        store.recordChange(new AlertChange(a.id(), a.state().id(), "acknowledged", a.value(), actor, now));
        audit.record(AdminAction.ALERT_ACKNOWLEDGED, null, actor, a.id(), Map.of("rule", a.rule(), "model", a.model()));
        return new Acknowledgement.Acknowledged(after);
    }

    /**
     * Silences matching alerts until {@code endsAt}. Audited.
     *
     * @throws IllegalArgumentException when it would end before now or has no reason
     */
    public Silence silence(@Nullable String model, @Nullable String rule, Instant endsAt, String reason, String actor) {
        Instant now = time.clock().instant();
        Silence s = new Silence(DecisionIds.next(now.toEpochMilli()), model, rule, now, endsAt, reason, actor, now);
        store.saveSilence(s);
        Map<String, String> details = new HashMap<>();
        details.put("model", model == null ? "*" : model);
        details.put("rule", rule == null ? "*" : rule);
        details.put("ends_at", endsAt.toString());
        details.put("reason", reason);
        audit.record(AdminAction.SILENCE_CREATED, null, actor, s.id(), details);
        return s;
    }

    /** Stored silences not yet ended, and the configured maintenance windows not yet over. */
    public List<Silence> silences() {
        Instant now = time.clock().instant();
        List<Silence> all = new ArrayList<>(store.silences(now));
        maintenance.stream().filter(m -> m.endsAt().isAfter(now)).forEach(all::add);
        return all;
    }

    public List<Alert> list(Alert.@Nullable State state, int limit) {
        return store.alerts(state, limit);
    }

    public Optional<Alert> find(String id) {
        return store.findAlert(id);
    }

    public List<AlertChange> history(String id) {
        return store.changes(id);
    }

    public List<Notification> notifications(String id) {
        return store.notifications(id);
    }

    public List<Notification> deadLetters(int limit) {
        return store.deadLetters(limit);
    }
}
