package dev.airlock.server.alert;

import dev.airlock.alert.Rule;
import dev.airlock.alert.Signal;
import dev.airlock.alert.SignalSource;
import dev.airlock.cost.Budgets;
import dev.airlock.review.HeldReview;
import dev.airlock.review.ReviewStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signals about the installation rather than one model, and the rules that read them: a budget past its soft limit,
 * an open circuit breaker, audit records no checkpoint can be signed over, reviews past their SLA, Decisions that
 * could not be recorded.
 */
final class InstallationSignals {
    private InstallationSignals() {}

    /** The installation's own rules; they fire at once (a breaker, an unsigned tail, a lost Decision do not wait). */
    static List<Rule> rules() {
        return List.of(
                new Rule("budget_soft_limit", "budget_soft_limit", null, Rule.Comparison.AT_LEAST, 1, Duration.ZERO),
                new Rule("breaker_open", "breaker_open", null, Rule.Comparison.ABOVE, 0, Duration.ZERO),
                new Rule(
                        "audit_unsigned_tail", "audit_unsealed_records", null, Rule.Comparison.ABOVE, 0, Duration.ZERO),
                new Rule("review_sla_breached", "reviews_overdue", null, Rule.Comparison.ABOVE, 0, Duration.ZERO),
                new Rule("store_not_writable", "decisions_not_recorded", null, Rule.Comparison.ABOVE, 0, Duration.ZERO),
                new Rule(
                        "deployment_unservable",
                        "deployment_unservable",
                        null,
                        Rule.Comparison.ABOVE,
                        0,
                        Duration.ZERO));
    }

    /** {@code budget_soft_limit}: spent this period over the soft limit, per budget that has one. */
    static SignalSource budgets(Budgets budgets) {
        return now -> {
            List<Signal> out = new ArrayList<>();
            for (Budgets.Status s : budgets.status(b -> b.soft() != null)) {
                var soft = s.budget().soft();
                if (soft != null && soft.signum() > 0) {
                    out.add(Signal.installation(
                            "budget_soft_limit",
                            "budget:" + s.budget().name(),
                            s.spent().doubleValue() / soft.doubleValue(),
                            now));
                }
            }
            return out;
        };
    }

    /** {@code breaker_open}: 1 while a target's breaker is open, else 0 (from {@code airlock.breaker.state}). */
    static SignalSource breakers(MeterRegistry meters) {
        return now -> {
            List<Signal> out = new ArrayList<>();
            for (Gauge g : meters.find("airlock.breaker.state").gauges()) {
                String target = g.getId().getTag("provider") + "/" + g.getId().getTag("upstream_model");
                out.add(Signal.installation("breaker_open", "breaker:" + target, g.value() >= 2 ? 1 : 0, now));
            }
            return out;
        };
    }

    /**
     * {@code audit_unsealed_records}: records no checkpoint is signed over because an unsealed one comes first (from
     * {@code airlock_audit_unsealed_records}, which the audit jobs keep).
     */
    static SignalSource audit(MeterRegistry meters) {
        return now -> {
            Gauge g = meters.find("airlock_audit_unsealed_records").gauge();
            return g == null
                    ? List.of()
                    : List.of(Signal.installation("audit_unsealed_records", "audit", g.value(), now));
        };
    }

    /**
     * {@code deployment_unservable}: 1 while this node cannot serve a version a model's deployment names (from {@code
     * airlock_deployment_unservable}, which the node keeps), per model.
     */
    static SignalSource unservable(MeterRegistry meters) {
        return now -> {
            List<Signal> out = new ArrayList<>();
            for (Gauge g : meters.find("airlock.deployment.unservable").gauges()) {
                out.add(Signal.installation(
                        "deployment_unservable", "deployment:" + g.getId().getTag("model"), g.value(), now));
            }
            return out;
        };
    }

    /**
     * {@code reviews_overdue}: held answers still pending past their SLA. The review desk escalates an overdue review
     * once; this remembers it until it is decided, so the alert does not clear when the escalation is sent.
     */
    static SignalSource reviews(ReviewStore reviews) {
        Set<String> overdue = ConcurrentHashMap.newKeySet();
        return now -> {
            reviews.overdueReviews(now).forEach(r -> overdue.add(r.id()));
            overdue.removeIf(id -> reviews.findReview(id)
                    .map(r -> r.state() != HeldReview.State.PENDING)
                    .orElse(true));
            return List.of(Signal.installation("reviews_overdue", "reviews", overdue.size(), now));
        };
    }
}
