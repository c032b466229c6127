package dev.airlock.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.audit.Sha256;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.Review;
import dev.airlock.provider.AiAnswer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reviewers do with held answers — claim, approve, reject, edit — each saved only if nobody decided first,
 * audited, and reported to the caller's callback; and the SLA check that escalates reviews left past their due time to
 * the model's escalation path. Every door (HTTP, embedded) goes through here, so each outcome is one of {@link Result}.
 *
 * <pre>{@code
 * switch (desk.decide(tenant, "rv_1", "key:k1", Action.APPROVE, "fine", null)) {
 *     case Result.Done done -> show(done.review());
 *     case Result.NotFound missing -> notFound();
 *     default -> conflict();
 * }
 * }</pre>
 */
public final class ReviewDesk implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewDesk.class);
    // built once and shared: a mapper is costly to build and safe to share
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReviewStore store;
    private final AdminEvents trail;
    private final Clock clock;
    private final Function<String, List<String>> escalationOf;
    private final ReviewCallback callback;
    private final Duration wait;
    private @Nullable ScheduledExecutorService timer;

    /** What a reviewer asks for. */
    public enum Action {
        APPROVE,
        REJECT,
        EDIT
    }

    /** The outcome of a reviewer's action: done, or refused and why. */
    public sealed interface Result {
        /** Saved, audited and (when decided) reported to the caller. */
        record Done(HeldReview review) implements Result {}

        /** No such review in the reviewer's tenant (another tenant's reviews do not exist for it). */
        record NotFound(String id) implements Result {}

        /** Approved, rejected or edited already: a review is decided once. */
        record AlreadyDecided(String id, HeldReview.State state) implements Result {}

        /** Another reviewer holds it. */
        record ClaimedByOther(String id, String claimedBy) implements Result {}

        /** Someone changed it between reading and saving; read it again. */
        record ChangedMeanwhile(String id) implements Result {}

        /** The edit cannot be made: no text given, or the held answer is not a chat answer. */
        record NotEditable(String id, String reason) implements Result {}
    }

    /**
     * @param escalationOf per model name, who overdue reviews go to (empty when no escalation path is declared)
     * @param wait how long {@link #awaitDecision} waits ({@code review.wait}); zero to not wait
     */
    public ReviewDesk(
            ReviewStore store,
            AdminEvents trail,
            Clock clock,
            Function<String, List<String>> escalationOf,
            ReviewCallback callback,
            Duration wait) {
        this.store = Objects.requireNonNull(store, "store");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.escalationOf = Objects.requireNonNull(escalationOf, "escalationOf");
        this.callback = Objects.requireNonNull(callback, "callback");
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /** Checks due times every {@code every} on a daemon thread, until {@link #close}. */
    public synchronized ReviewDesk checkDueTimesEvery(Duration every) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "airlock-review-sla");
                t.setDaemon(true);
                return t;
            });
            long millis = every.toMillis();
            timer.scheduleWithFixedDelay(this::escalateOverdueQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * The review once decided, if a reviewer decides within {@code review.wait}; empty when it is still pending then
     * (or when the node does not wait). Polls the store, so a decision made on another node counts too.
     */
    public Optional<HeldReview> awaitDecision(String id) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<HeldReview> now = store.findReview(id);
            if (now.isPresent() && !now.get().pending()) {
                return now;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.max(1, Math.min(200, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Whether review outcomes may be posted to this URL: its host must be listed in review.callback_hosts. */
    public boolean callbackAllowed(URI url) {
        return callback.allowed(url);
    }

    /**
     * The review stage over this desk's store: an answer a policy sends to review is held, due within {@code sla},
     * audited through this desk, and the caller told where to find the outcome.
     *
     * @param bodies the response body a caller would get for an answer (kept with the held review)
     */
    public Review reviewStage(Duration sla, BiFunction<DecisionDraft, AiAnswer, String> bodies) {
        return new ReviewQueue(store, clock, sla, bodies, this::held);
    }

    /** Audits a review as it is held. */
    public void held(HeldReview r) {
        trail.record(
                AdminAction.REVIEW_HELD,
                r.tenant(),
                "key:" + r.keyId(),
                r.id(),
                Map.of(
                        "decision",
                        r.decisionId(),
                        "model",
                        r.model() + "@" + r.modelVersion(),
                        "reasons",
                        String.join(",", r.reasons()),
                        "due_at",
                        r.dueAt().toString()));
    }

    /** A tenant's reviews, oldest first; {@code state} null for all. */
    public List<HeldReview> list(String tenant, HeldReview.@Nullable State state, int limit) {
        return store.reviews(tenant, state, limit);
    }

    /** The review, if it belongs to {@code tenant}. */
    public Optional<HeldReview> find(String tenant, String id) {
        return store.findReview(id).filter(r -> r.tenant().equals(tenant));
    }

    /** Takes a pending review for {@code reviewer}; refused when someone else holds it or it is decided. */
    public Result claim(String tenant, String id, String reviewer) {
        Optional<HeldReview> found = find(tenant, id);
        if (found.isEmpty()) {
            return new Result.NotFound(id);
        }
        HeldReview r = found.get();
        Optional<Result> refused = refusal(r, reviewer);
        if (refused.isPresent()) {
            return refused.get();
        }
        HeldReview claimed = r.claimed(reviewer);
        if (!store.updateReview(r, claimed)) {
            return new Result.ChangedMeanwhile(r.id());
        }
        trail.record(AdminAction.REVIEW_CLAIMED, r.tenant(), reviewer, r.id(), Map.of("decision", r.decisionId()));
        return new Result.Done(claimed);
    }

    /**
     * Decides a pending review. A review claimed by another reviewer cannot be decided by this one.
     *
     * @param edited for {@link Action#EDIT}: the text the caller gets instead (required there)
     */
    public Result decide(
            String tenant,
            String id,
            String reviewer,
            Action action,
            @Nullable String comment,
            @Nullable String edited) {
        Optional<HeldReview> found = find(tenant, id);
        if (found.isEmpty()) {
            return new Result.NotFound(id);
        }
        if (action == Action.EDIT && edited == null) {
            return new Result.NotEditable(id, "'content' is required: the text the caller gets instead");
        }
        HeldReview r = found.get();
        Optional<Result> refused = refusal(r, reviewer);
        if (refused.isPresent()) {
            return refused.get();
        }
        HeldReview.State state = switch (action) {
            case APPROVE -> HeldReview.State.APPROVED;
            case REJECT -> HeldReview.State.REJECTED;
            case EDIT -> HeldReview.State.EDITED;
        };
        String body;
        switch (action) {
            case APPROVE -> body = r.answerBody();
            case REJECT -> body = null;
            default -> {
                Optional<String> replaced = withText(
                        r.answerBody(), Objects.requireNonNull(edited, "checked above: an edit carries its text"));
                if (replaced.isEmpty()) {
                    return new Result.NotEditable(id, "only a chat answer can be edited; approve or reject this one");
                }
                body = replaced.get();
            }
        }
        HeldReview decided = r.decided(state, reviewer, comment, body, clock.instant());
        if (!store.updateReview(r, decided)) {
            return new Result.ChangedMeanwhile(r.id());
        }
        trail.record(decidedAction(state), r.tenant(), reviewer, r.id(), details(r, state, comment, body));
        callback.send(decided);
        return new Result.Done(decided);
    }

    /** Why {@code reviewer} may not act on the review now, if they may not. */
    private static Optional<Result> refusal(HeldReview r, String reviewer) {
        if (!r.pending()) {
            return Optional.of(new Result.AlreadyDecided(r.id(), r.state()));
        }
        if (r.claimedBy() != null && !r.claimedBy().equals(reviewer)) {
            return Optional.of(new Result.ClaimedByOther(r.id(), r.claimedBy()));
        }
        return Optional.empty();
    }

    private static AdminAction decidedAction(HeldReview.State state) {
        return switch (state) {
            case APPROVED -> AdminAction.REVIEW_APPROVED;
            case REJECTED -> AdminAction.REVIEW_REJECTED;
            case EDITED -> AdminAction.REVIEW_EDITED;
            case PENDING -> throw new IllegalArgumentException("a decision cannot leave a review pending");
        };
    }

    private static Map<String, String> details(
            HeldReview r, HeldReview.State state, @Nullable String comment, @Nullable String body) {
        Map<String, String> details = new TreeMap<>();
        details.put("decision", r.decisionId());
        details.put("outcome", state.id());
        if (comment != null) {
            details.put("comment", comment);
        }
        if (body != null) {
            details.put("final_sha256", Sha256.hex(body));
        }
        return details;
    }

    /** The held chat completion with its first choice's text replaced; empty when it is not a chat completion. */
    private static Optional<String> withText(@Nullable String body, String text) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(body);
            var message = root.path("choices").path(0).path("message");
            if (message instanceof ObjectNode m) {
                m.put("content", text);
                return Optional.of(JSON.writeValueAsString(root));
            }
        } catch (Exception e) {
            LOG.debug("not a chat completion body", e);
        }
        return Optional.empty();
    }

    /** Marks pending reviews past their due time (on the desk's clock) as escalated, audits who they go to. */
    public List<HeldReview> escalateOverdue() {
        List<HeldReview> escalated = new ArrayList<>();
        for (HeldReview r : store.overdueReviews(clock.instant())) {
            HeldReview now = r.escalated(clock.instant());
            if (store.updateReview(r, now)) {
                List<String> to = escalationOf.apply(r.model());
                trail.record(
                        AdminAction.REVIEW_ESCALATED,
                        r.tenant(),
                        "airlock",
                        r.id(),
                        Map.of(
                                "decision", r.decisionId(),
                                "due_at", r.dueAt().toString(),
                                "escalate_to", to.isEmpty() ? "(no escalation path declared)" : String.join(", ", to)));
                LOG.warn("review {} of {} is past its due time {}; escalated to {}", r.id(), r.model(), r.dueAt(), to);
                escalated.add(now);
            }
        }
        return escalated;
    }

    private void escalateOverdueQuietly() {
        try {
            escalateOverdue();
        } catch (RuntimeException e) {
            LOG.warn("checking review due times failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
