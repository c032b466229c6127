package dev.airlock.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditTrail;
import dev.airlock.server.http.Json;
import dev.airlock.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reviewers do with held answers — claim, approve, reject, edit — each saved only if nobody decided first,
 * audited, and reported to the caller's callback URL; and the SLA timer that escalates reviews left past their due
 * time to the model's escalation path.
 */
public final class ReviewDesk implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewDesk.class);

    private final Store store;
    private final AuditTrail trail;
    private final Clock clock;
    private final Function<String, List<String>> escalationOf;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final ScheduledExecutorService timer;

    /** What a reviewer asks for. */
    public enum Action {
        APPROVE,
        REJECT,
        EDIT
    }

    /** The outcome of a reviewer's action: done, or refused and why. */
    public sealed interface Result {
        record Done(HeldReview review) implements Result {}

        record Conflict(String reason) implements Result {}
    }

    private final java.util.Set<String> callbackHosts;
    private final Duration wait;
    private final String callbackSecret;

    ReviewDesk(
            Store store,
            Clock clock,
            Function<String, List<String>> escalationOf,
            Duration checkEvery,
            List<String> callbackHosts,
            Duration wait,
            String callbackSecret) {
        this.wait = wait;
        this.callbackSecret = callbackSecret;
        this.callbackHosts = java.util.Set.copyOf(callbackHosts.stream()
                .map(h -> h.toLowerCase(java.util.Locale.ROOT))
                .toList());
        this.store = store;
        this.trail = new AuditTrail(store, clock);
        this.clock = clock;
        this.escalationOf = escalationOf;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "airlock-review-sla");
            t.setDaemon(true);
            return t;
        });
        long millis = checkEvery.toMillis();
        timer.scheduleWithFixedDelay(this::escalateOverdue, millis, millis, TimeUnit.MILLISECONDS);
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
        return url.getHost() != null && callbackHosts.contains(url.getHost().toLowerCase(java.util.Locale.ROOT));
    }

    /** Audits a review as it is held. */
    void held(HeldReview r) {
        trail.record(
                r.tenant(),
                "key:" + r.keyId(),
                "review.held",
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

    public Optional<HeldReview> find(String id) {
        return store.findReview(id);
    }

    /** Takes a pending review for {@code reviewer}; refused when someone else holds it or it is decided. */
    public Result claim(HeldReview r, String reviewer) {
        if (!r.pending()) {
            return new Result.Conflict(
                    "review " + r.id() + " is already " + r.state().id());
        }
        if (r.claimedBy() != null && !r.claimedBy().equals(reviewer)) {
            return new Result.Conflict("review " + r.id() + " is claimed by " + r.claimedBy());
        }
        HeldReview claimed = r.claimed(reviewer);
        if (!store.updateReview(r, claimed)) {
            return new Result.Conflict("review " + r.id() + " changed meanwhile; read it again");
        }
        trail.record(r.tenant(), reviewer, "review.claimed", r.id(), Map.of("decision", r.decisionId()));
        return new Result.Done(claimed);
    }

    /**
     * Decides a pending review. A review claimed by another reviewer cannot be decided by this one.
     *
     * @param edited for {@link Action#EDIT}: the text the caller gets instead
     */
    public Result decide(HeldReview r, String reviewer, Action action, String comment, String edited) {
        if (!r.pending()) {
            return new Result.Conflict(
                    "review " + r.id() + " is already " + r.state().id());
        }
        if (r.claimedBy() != null && !r.claimedBy().equals(reviewer)) {
            return new Result.Conflict("review " + r.id() + " is claimed by " + r.claimedBy());
        }
        HeldReview.State state = switch (action) {
            case APPROVE -> HeldReview.State.APPROVED;
            case REJECT -> HeldReview.State.REJECTED;
            case EDIT -> HeldReview.State.EDITED;
        };
        String body = switch (action) {
            case APPROVE -> r.answerBody();
            case REJECT -> null;
            case EDIT -> withText(r.answerBody(), edited);
        };
        HeldReview decided = r.decided(state, reviewer, comment, body, clock.instant());
        if (!store.updateReview(r, decided)) {
            return new Result.Conflict("review " + r.id() + " changed meanwhile; read it again");
        }
        Map<String, String> details = new TreeMap<>();
        details.put("decision", r.decisionId());
        details.put("outcome", state.id());
        if (comment != null) {
            details.put("comment", comment);
        }
        if (body != null) {
            details.put("final_sha256", dev.airlock.audit.Sha256.hex(body));
        }
        trail.record(r.tenant(), reviewer, "review." + state.id(), r.id(), details);
        notifyCaller(decided);
        return new Result.Done(decided);
    }

    /** The held chat completion with its first choice's text replaced. */
    private static String withText(String body, String text) {
        try {
            ObjectNode root = (ObjectNode) Json.mapper().readTree(body);
            var message = root.path("choices").path(0).path("message");
            if (message instanceof ObjectNode m) {
                m.put("content", text);
                return Json.mapper().writeValueAsString(root);
            }
        } catch (Exception e) {
            LOG.debug("not a chat completion body", e);
        }
        throw new IllegalArgumentException("only a chat answer can be edited; approve or reject this one");
    }

    /** Posts the outcome to the caller's callback URL, on a virtual thread, three tries with backoff. */
    private void notifyCaller(HeldReview r) {
        if (r.callbackUrl() == null) {
            return;
        }
        Thread.ofVirtual().name("airlock-review-callback").start(() -> {
            String body = Json.mapper()
                    .createObjectNode()
                    .put("object", "review")
                    .put("id", r.id())
                    .put("status", r.state().id())
                    .put("decision_id", r.decisionId())
                    .put("decided_by", r.decidedBy())
                    .put("result_url", "/v1/reviews/" + r.id() + "/result")
                    .toString();
            for (int attempt = 1; attempt <= 3; attempt++) {
                try {
                    var response = http.send(
                            HttpRequest.newBuilder(URI.create(r.callbackUrl()))
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json")
                                    .header("Airlock-Signature", signature(body))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() < 300) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    LOG.debug("review callback {} failed", r.callbackUrl(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(500L * attempt * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            LOG.warn("review {}: the callback {} did not accept the outcome after 3 tries", r.id(), r.callbackUrl());
        });
    }

    /** {@code sha256=<hex HMAC-SHA256 of the body>} under review.callback_secret, or "unsigned" without one. */
    String signature(String body) {
        if (callbackSecret == null || callbackSecret.isBlank()) {
            return "unsigned";
        }
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(
                    callbackSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256="
                    + java.util.HexFormat.of()
                            .formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Marks pending reviews past their due time as escalated and audits who they go to. */
    void escalateOverdue() {
        try {
            for (HeldReview r : store.overdueReviews(clock.instant())) {
                HeldReview escalated = r.escalated(clock.instant());
                if (store.updateReview(r, escalated)) {
                    List<String> to = escalationOf.apply(r.model());
                    trail.record(
                            r.tenant(),
                            "airlock",
                            "review.escalated",
                            r.id(),
                            Map.of(
                                    "decision", r.decisionId(),
                                    "due_at", r.dueAt().toString(),
                                    "escalate_to",
                                            to.isEmpty() ? "(no escalation path declared)" : String.join(", ", to)));
                    LOG.warn(
                            "review {} of {} is past its due time {}; escalated to {}",
                            r.id(),
                            r.model(),
                            r.dueAt(),
                            to);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("checking review due times failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
